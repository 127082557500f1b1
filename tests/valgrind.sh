#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The unit suite under Valgrind memcheck: every test labelled `unit` whose
# command is a program (shell-script checks are skipped) runs under
#   valgrind --tool=memcheck --leak-check=full --error-exitcode=99
# with the environment CTest would give it; any memcheck error or definite
# or indirect leak fails the run. Children (fork) are followed.
#
#   tests/valgrind.sh [build-dir] [ctest -R regex]
#     build-dir: a configured and built tree (default build/dev; a
#                sanitizer build cannot run under Valgrind)
#
# A test is clean when its own process has no memcheck error and no definite
# or indirect leak, and the children it forks have no memcheck error (their
# leaks do not count: they leave through _exit() with the parent's objects).
# Tests that cannot pass under Valgrind for a reason that is not a memory
# error are listed in KNOWN below: their failing is reported, not counted,
# as long as memcheck itself found nothing.
#
# Prints one line per test and a summary; exit status 0 when all are clean.
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
declare -A KNOWN=(
	[test_socket]="test_fcntl_errors: Valgrind's own fcntl() wrapper answers EINVAL for an unknown command before the kernel's EBADF"
	[test_slab]="test_shrink_rss measures RSS, which Valgrind's shadow memory changes"
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
	(cd "${wd:-$build}" && env "${envargs[@]}" valgrind --tool=memcheck \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
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
			grep -qE 'ERROR SUMMARY: [1-9]' "$f" && bad+=" $f"
		fi
	done
	if [[ -n $bad ]]; then
		printf '%-32s MEMCHECK ERRORS (%ds):%s\n' "$name" $((SECONDS - t0)) "$bad"
		grep -h -A8 -E '== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and)|definitely lost in|indirectly lost in' $bad | head -30 || true
		fail=$((fail + 1))
	elif [[ $rc -ne 0 && -n ${KNOWN[$name]:-} ]]; then
		printf '%-32s no memcheck error; fails under Valgrind (known: %s)\n' "$name" "${KNOWN[$name]}"
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
echo "valgrind: $pass clean, $fail failed, $known known incompatible, $skip skipped in $((SECONDS - start)) s"
[[ $fail -eq 0 ]]
