#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# libsockcore quick start: set everything up, then run the demonstration or
# the whole test suite.
#
#   scripts/quickstart.sh demo     install what is missing, build, run `sockcore demo`
#   scripts/quickstart.sh test     install what is missing, build, run every test
#                                  (all labels but perf, packaging checks included)
#   scripts/quickstart.sh packages only install what is missing
#
# Environment: PRESET (default: ci for test, release for demo),
#              SOCKCORE_NO_APT=1 to never call apt-get,
#              SOCKCORE_EXTRA_PACKAGES="..." more Debian packages to install
#              (CI's fuzzing step adds clang's).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

# The Debian packages the build and the tests need.
packages=(cmake gcc make pkgconf binutils liburcu-dev libjemalloc-dev libcmocka-dev
	${SOCKCORE_EXTRA_PACKAGES:-})

missing_packages() {
	local p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

install_missing() {
	local pkgs
	pkgs=$(missing_packages | tr '\n' ' ')
	[[ -z ${pkgs// } ]] && return 0
	if [[ ${SOCKCORE_NO_APT:-0} == 1 ]]; then
		echo "quickstart: missing Debian packages: $pkgs" >&2
		exit 1
	fi
	if [[ $(id -u) -ne 0 ]]; then
		echo "quickstart: missing Debian packages: $pkgs (run as root, or: sudo apt-get install $pkgs)" >&2
		exit 1
	fi
	echo "quickstart: installing $pkgs"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
}

build() {
	cmake --preset "$1" >/dev/null
	cmake --build --preset "$1" -j "$(nproc)"
}

case "${1:-}" in
demo)
	preset=${PRESET:-release}
	install_missing
	build "$preset"
	exec "build/$preset/bin/sockcore" demo
	;;
test)
	preset=${PRESET:-ci}
	install_missing
	build "$preset"
	ctest --preset "$preset"
	;;
packages)
	install_missing
	;;
*)
	echo "usage: scripts/quickstart.sh demo|test|packages" >&2
	exit 2
	;;
esac
