#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The short, bounded fuzz run CI does: configure a clang build with the
# libFuzzer harness (tests/fuzz/CMakeLists.txt), build it, run it from the
# seed corpus for FUZZ_RUNS executions or FUZZ_SECONDS seconds, whichever
# comes first, and print the number of executions. Exit status non-zero on
# a crash or an invariant violation (the input is left in build/fuzz/).
#
#   tests/fuzz/run.sh                      # CI: 200000 runs / 45 s
#   FUZZ_SECONDS=3600 FUZZ_RUNS=-1 tests/fuzz/run.sh   # a longer campaign
#
# Needs clang (CC, default clang) with libFuzzer: Debian clang-14 and
# libclang-rt-14-dev.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$here"

if [[ -z ${CC:-} ]]; then
	CC=clang
	command -v clang >/dev/null || CC=clang-14
fi
cc=$CC
build=${FUZZ_BUILD:-build/fuzz}
runs=${FUZZ_RUNS:-200000}
seconds=${FUZZ_SECONDS:-45}
jobs=${FUZZ_BUILD_JOBS:-2}

if ! command -v "$cc" >/dev/null; then
	echo "fuzz: $cc not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
	exit 1
fi
cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DSOCKCORE_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCKCORE_BUILD_BENCH=OFF \
	-DSOCKCORE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_syscalls >"$build.build.log" 2>&1 ||
	{ tail -n 40 "$build.build.log" >&2; exit 1; }
test -x "$build/bin/fuzz_syscalls" || {
	echo "fuzz: fuzz_syscalls was not built (is $cc clang with libFuzzer?)" >&2
	exit 1
}

# New inputs go to the build tree; the seeds in the source tree stay as
# they are.
work="$build/corpus"
mkdir -p "$work"
log="$build/fuzz.log"
start=$SECONDS
set +e
( cd "$build" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	./bin/fuzz_syscalls -runs="$runs" -max_total_time="$seconds" \
	-max_len=512 -print_final_stats=1 corpus "$here/tests/fuzz/corpus" ) \
	>"$log" 2>&1
rc=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
if [[ $rc -ne 0 ]]; then
	tail -n 60 "$log" >&2
	echo "fuzz: FAILED after ${execs:-?} executions ($((SECONDS - start)) s); log $log, crash input in $build" >&2
	exit 1
fi
echo "fuzz: ${execs:-?} executions in $((SECONDS - start)) s, ${cov:-cov: ?} edges, corpus $(ls "$work" | wc -l) inputs, no crash or invariant violation"
