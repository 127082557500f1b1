#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Configuring without a dependency fails, and says which Debian package to
# install. pkg-config is pointed at an empty folder, so that it finds none
# of liburcu-bp, liburcu-cds, jemalloc or cmocka.
# usage: missing_dep.sh <source dir>
set -u
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"

if PKG_CONFIG_LIBDIR="$work/empty" PKG_CONFIG_PATH="" \
	cmake -S "$src" -B "$work/build" >"$work/out" 2>&1; then
	echo "configure succeeded without any dependency"
	exit 1
fi
if ! grep -q "apt-get install liburcu-dev" "$work/out"; then
	echo "configure failed without naming the Debian package:"
	cat "$work/out"
	exit 1
fi
grep -m1 -A1 "libsockcore needs" "$work/out"
echo "missing dependency: configure stops and names the package"
