#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Every source file of the project carries an SPDX licence line.
# usage: check_spdx.sh <source dir>
set -eu
cd "$1"
bad=$(git ls-files 2>/dev/null || find . -type f) 
bad=$(printf '%s\n' $bad | grep -E '\.(c|h|cmake|sh|in|dot|py|gp)$|CMakeLists\.txt$|^\.ci/run$|^scripts/' |
	while read -r f; do
		[ -f "$f" ] || continue
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier:' || echo "$f"
	done)
if [ -n "$bad" ]; then
	echo "files without an SPDX-License-Identifier line:"
	echo "$bad" | sed 's/^/  /'
	exit 1
fi
echo "spdx: every source file has a licence line"
