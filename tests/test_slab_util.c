/* SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "test_slab_util.h"

void child_collect(pid_t pid, int fd[2], struct child_result *r)
{
	size_t len = 0;
	ssize_t n;

	close(fd[1]);
	while (len < sizeof(r->out) - 1 &&
	       (n = read(fd[0], r->out + len, sizeof(r->out) - 1 - len)) > 0)
		len += n;
	r->out[len] = '\0';
	close(fd[0]);
	while (waitpid(pid, &r->status, 0) < 0)
		;
}

/* Fork with the child's stderr (and stdout if @both) going into @fd. */
static pid_t fork_piped(int fd[2], bool both)
{
	pid_t pid;

	if (pipe(fd))
		abort();
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(fd[0]);
		if (both)
			dup2(fd[1], 1);
		dup2(fd[1], 2);
	}
	return pid;
}

void run_in_child(void (*fn)(void *), void *arg, struct child_result *r)
{
	int fd[2];
	pid_t pid = fork_piped(fd, false);

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	child_collect(pid, fd, r);
}

void run_self(const char *var, const char *value, const char *mode,
		struct child_result *r)
{
	int fd[2];
	pid_t pid = fork_piped(fd, true);

	if (pid == 0) {
		setenv(var, value, 1);
		execl("/proc/self/exe", "/proc/self/exe", mode, (char *)NULL);
		_exit(127);
	}
	child_collect(pid, fd, r);
}

bool child_aborted_with(const struct child_result *r, const char *text)
{
	if (!WIFSIGNALED(r->status) || WTERMSIG(r->status) != SIGABRT)
		return false;
	return strstr(r->out, text) != NULL;
}

long rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res * sysconf(_SC_PAGESIZE);
}

bool under_sanitizer(void)
{
#if defined(SOCKCORE_ASAN) || defined(SOCKCORE_TSAN) || \
	defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return true;
#else
	return false;
#endif
}

bool under_asan(void)
{
#if defined(SOCKCORE_ASAN) || defined(__SANITIZE_ADDRESS__)
	return true;
#else
	return false;
#endif
}

#if defined(SOCKCORE_TSAN) || defined(__SANITIZE_THREAD__)
const char *__tsan_default_options(void);
/*
 * jemalloc's fork handler holds every arena mutex at once (its bins alone
 * are dozens), beyond the 64 locks TSan's deadlock detector can track, so
 * fork() would trip a TSan CHECK. Race detection stays on; TSAN_OPTIONS
 * from the environment still override this.
 */
const char *__tsan_default_options(void)
{
	return "detect_deadlocks=0";
}

const char *__tsan_default_suppressions(void);
/*
 * liburcu is not instrumented: rcu_barrier() callocs a completion that the
 * call_rcu worker frees after a futex wake-up TSan cannot see. Ignore the
 * allocator calls made from inside the library; races in our code that
 * touch RCU-freed memory are still reported (see slab_rcu_wait()).
 */
const char *__tsan_default_suppressions(void)
{
	return "called_from_lib:liburcu-bp.so\n";
}
#endif
