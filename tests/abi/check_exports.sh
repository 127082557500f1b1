#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The shared library exports exactly the API its installed headers declare
# (SOCKCORE_API), and the version script names the same set.
# usage: check_exports.sh <libsockcore.so> <include/sockcore> <libsockcore.map>
set -eu
lib=$1 inc=$2 map=$3
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$here/api_names.sh" "$inc" > "$tmp/api"
nm -D --defined-only "$lib" | awk '{ print $3 }' | sed 's/@.*//' |
	grep -v '^SOCKCORE_' | sort -u > "$tmp/exported"
sed -n 's/^[ \t]*\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' "$map" | sort -u > "$tmp/map"

status=0
report() {
	if [ -s "$2" ]; then
		echo "$1:"; sed 's/^/  /' "$2"; status=1
	fi
}
comm -13 "$tmp/api" "$tmp/exported" > "$tmp/extra"
comm -23 "$tmp/api" "$tmp/exported" > "$tmp/missing"
comm -3 "$tmp/api" "$tmp/map" > "$tmp/mapdiff"
report "exported but not declared in include/sockcore" "$tmp/extra"
report "declared with SOCKCORE_API but not exported" "$tmp/missing"
report "version script and headers disagree (left: headers only, right: map only)" "$tmp/mapdiff"
echo "$(wc -l < "$tmp/exported") symbols exported, $(wc -l < "$tmp/api") declared"
exit $status
