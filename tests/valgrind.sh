#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The unit suite under Valgrind memcheck: every test labelled `unit` whose
# command is a program (the shell-script checks abi_exports, spdx_headers,
# packaging_consumers, the examples' and the docs' are skipped) runs under
#   valgrind --tool=memcheck --leak-check=full --error-exitcode=99
# with the environment CTest would give it; any memcheck error, or a
# definite or indirect leak of the test's own process, fails the run.
# Children (fork) are followed. About 2 minutes on 2 cores for the whole
# suite (test_fork and test_inet6 are most of it).
#
#   tests/valgrind.sh [build-dir] [ctest -R regex]
#     build-dir: a configured and built tree (default build/dev; a
#                sanitizer build cannot run under Valgrind)
#
# A test is clean when its own process has no memcheck error and no definite
# or indirect leak, and the children it forks have no memcheck error. The
# children's leaks do not count: they leave through _exit() holding objects
# of threads that did not come along (fork keeps one thread), so leaks are
# read from the leak summary of the test's own log rather than turned into
# memcheck errors (which would also change the children's exit status the
# tests check).
# Test cases that cannot pass under Valgrind for a reason that is not a
# memory error are listed in KNOWN below, by case: when memcheck found
# nothing and exactly those cases failed, the test is reported as clean
# with them named; any other failing case fails the run.
#
# Prints one line per test and a one-line summary; exit status 0 when all
# are clean.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build/dev}" && pwd)
filter=${2:-}
command -v valgrind >/dev/null || {
	echo "valgrind.sh: valgrind not installed (apt-get install valgrind)" >&2
	exit 1
}
command -v python3 >/dev/null || {
	echo "valgrind.sh: python3 is needed to read ctest's test list" >&2
	exit 1
}
logdir="$build/valgrind"
rm -rf "$logdir"
mkdir -p "$logdir"

# Tests that fail under Valgrind for reasons that are not memory errors.
declare -A SKIP=(
	[test_host_malloc]="checks which allocator serves malloc(); Valgrind replaces it (and the failed check leaks its probe)"
)
# program -> "case[,case...]: reason"
declare -A KNOWN=(
	[test_socket]="test_fcntl_errors: Valgrind's own fcntl() wrapper answers EINVAL for an unknown command before the kernel's EBADF"
	[test_slab]="test_shrink_rss: measures RSS, which Valgrind's shadow memory changes"
	[test_slab_debug]="test_env_selected,test_env_kmalloc_double_free: re-exec /proc/self/exe, which under Valgrind is Valgrind's tool, not the test"
	[test_slab_failslab]="test_env: re-execs /proc/self/exe, which under Valgrind is Valgrind's tool, not the test"
)

# Deliberate bad system-call arguments (the tests compare the kernel's
# EFAULT with the library's).
supp="$logdir/deliberate.supp"
cat >"$supp" <<'SUPP'
{
   deliberate-efault-getsockopt
   Memcheck:Param
   socketcall.getsockopt(optval)
   ...
   fun:getsockopt
}
{
   deliberate-efault-socketpair
   Memcheck:Param
   socketcall.socketpair(sv)
   ...
   fun:socketpair
}
{
   deliberate-redzone-write-test_slab_debug
   Memcheck:Addr1
   fun:redzone_write
}
{
   deliberate-redzone-inactive-test_slab_debug
   Memcheck:Addr1
   fun:redzone_inactive
}
{
   deliberate-poison-write-test_slab_debug
   Memcheck:Addr1
   fun:poison_write
}
SUPP

# name <TAB> working dir <TAB> env (;-separated) <TAB> command (\x1f-separated)
list=$(ctest --test-dir "$build" -L unit ${filter:+-R "$filter"} \
	--show-only=json-v1 | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tests"]:
    env, wd = [], ""
    for p in t.get("properties", []):
        if p["name"] == "ENVIRONMENT":
            env = p["value"]
        if p["name"] == "WORKING_DIRECTORY":
            wd = p["value"]
    print("\t".join([t["name"], wd, ";".join(env), "\x1f".join(t.get("command", []))]))
')

pass=0 fail=0 skip=0 known=0
start=$SECONDS
while IFS=$'\t' read -r name wd envs cmd; do
	argv=()
	[[ -n $cmd ]] && IFS=$'\x1f' read -r -a argv <<<"$cmd"
	if [[ ${#argv[@]} -eq 0 ]] ||
	   ! head -c 4 "${argv[0]}" 2>/dev/null | grep -q 'ELF'; then
		printf '%-32s skipped (not a program)\n' "$name"
		skip=$((skip + 1))
		continue
	fi
	if [[ -n ${SKIP[$name]:-} ]]; then
		printf '%-32s skipped (%s)\n' "$name" "${SKIP[$name]}"
		skip=$((skip + 1))
		continue
	fi
	envargs=()
	IFS=';' read -r -a envlist <<<"$envs"
	for e in "${envlist[@]}"; do
		[[ -n $e ]] && envargs+=("$e")
	done
	t0=$SECONDS
	set +e
	# fewer forks in test_fork: each costs seconds under Valgrind, and the
	# point here is memory errors, not the number of forks
	(cd "${wd:-$build}" && env SOCKCORE_TEST_FORKS=3 "${envargs[@]}" valgrind --tool=memcheck \
		--leak-check=full --errors-for-leak-kinds=none \
		--show-leak-kinds=definite,indirect --error-exitcode=99 \
		--suppressions="$supp" --child-silent-after-fork=no \
		--log-file="$logdir/$name.%p.log" "${argv[@]}") \
		>"$logdir/$name.out" 2>&1
	rc=$?
	set -e
	# the test's own process: the log whose parent is not another log's
	pids=$(ls "$logdir/$name".*.log 2>/dev/null | sed 's/.*\.\([0-9]*\)\.log$/\1/')
	bad=""
	for f in "$logdir/$name".*.log; do
		[[ -e $f ]] || continue
		ppid=$(sed -n 's/^==[0-9]*== Parent PID: //p' "$f")
		if grep -qx "$ppid" <<<"$pids"; then
			# a forked child: memory errors count, leaks do not
			grep -qE '== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap)' "$f" && bad+=" $f"
		else
			grep -qE 'ERROR SUMMARY: [1-9]|(definitely|indirectly) lost: [1-9]' "$f" && bad+=" $f"
		fi
	done
	if [[ -n $bad ]]; then
		printf '%-32s MEMCHECK ERRORS (%ds):%s\n' "$name" $((SECONDS - t0)) "$bad"
		grep -h -A8 -E '== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and)|definitely lost in|indirectly lost in' $bad | head -30 || true
		fail=$((fail + 1))
	elif [[ $rc -ne 0 && -n ${KNOWN[$name]:-} ]] &&
	     failed=$(sed -n 's/^\[  FAILED  \] \(test_[A-Za-z0-9_]*\)$/\1/p' \
		      "$logdir/$name.out" | sort -u | paste -sd, -) &&
	     [[ -n $failed ]] &&
	     [[ $failed == "$(tr , '\n' <<<"${KNOWN[$name]%%:*}" | sort -u | paste -sd, -)" ]]; then
		printf '%-32s clean (%ds), but for the known case(s) %s\n' "$name" \
			$((SECONDS - t0)) "${KNOWN[$name]}"
		known=$((known + 1))
	elif [[ $rc -ne 0 ]]; then
		printf '%-32s FAILED under Valgrind (%ds, status %d): see %s\n' "$name" \
			$((SECONDS - t0)) "$rc" "$logdir/$name.out"
		grep -E 'FAILED|ERROR' "$logdir/$name.out" | head -5 || true
		fail=$((fail + 1))
	else
		printf '%-32s clean (%ds)\n' "$name" $((SECONDS - t0))
		pass=$((pass + 1))
	fi
done <<<"$list"
echo "valgrind: $((pass + known)) programs clean ($known with known Valgrind-incompatible cases), $fail failed, $skip skipped; $((SECONDS - start)) s"
[[ $fail -eq 0 ]]
