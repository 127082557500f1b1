#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Print, one per line and sorted, the names the public headers declare with
# SOCKCORE_API: the API that libsockcore.so must export, no more, no less.
# usage: api_names.sh <include/sockcore dir>
set -eu
dir=${1:?usage: api_names.sh <include/sockcore dir>}
for h in "$dir"/*.h; do
	awk '
	/#define[ \t]+SOCKCORE_API/ { next }
	/^[ \t]*SOCKCORE_API[ \t]/ {
		decl = substr($0, index($0, "SOCKCORE_API"))
		while (decl !~ /[(;]/ && (getline line) > 0)
			decl = decl " " line
		if (decl ~ /\(/)
			decl = substr(decl, 1, index(decl, "(") - 1)
		else
			decl = substr(decl, 1, index(decl, ";") - 1)
		sub(/\[[^]]*\]/, "", decl)
		n = split(decl, w, /[^A-Za-z0-9_]+/)
		while (n > 0 && w[n] == "") n--
		print w[n]
	}' "$h"
done | sort -u
