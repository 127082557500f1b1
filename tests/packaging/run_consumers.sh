#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Install the build into a scratch prefix, then build and run two consumer
# programs against it, as users would: one with find_package(sockcore) and
# sockcore::sockcore (plus the static target), one with
# `pkg-config --cflags --libs sockcore`.
# usage: run_consumers.sh <build dir> <source dir of this script>
set -eu
build=$1 src=$2
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/include/sockcore/sockcore.h"
libdir=$(find "$prefix" -name 'libsockcore.so.0' -printf '%h\n' | head -n1)
test -n "$libdir"
test -f "$libdir/libsockcore.a"
test -f "$libdir/sockcore/modules/modules.alias"
test -f "$libdir/pkgconfig/sockcore.pc"
test -f "$libdir/cmake/sockcore/sockcoreConfigVersion.cmake"

echo "== find_package(sockcore)"
cmake -S "$src/consumer-cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_BUILD_RPATH="$libdir" >/dev/null
cmake --build "$work/cmake" >/dev/null
"$work/cmake/consumer"
# A static program has no library file to find its modules beside: it uses
# the configured install folder, or SOCKCORE_MODULE_PATH when relocated.
export SOCKCORE_MODULE_PATH="$libdir/sockcore/modules"
"$work/cmake/consumer_static"

echo "== pkg-config sockcore"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -o "$work/pc" "$src/consumer.c" $(pkg-config --cflags --libs sockcore) \
	-Wl,-rpath,"$libdir"
"$work/pc"
static_libs=$(pkg-config --static --libs sockcore | sed 's/-lsockcore\b//')
# shellcheck disable=SC2046,SC2086
cc -o "$work/pc_static" "$src/consumer.c" -rdynamic \
	$(pkg-config --cflags sockcore) "$libdir/libsockcore.a" $static_libs
"$work/pc_static"
echo "consumers: ok"
