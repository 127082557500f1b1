/* SPDX-License-Identifier: MIT */
/* Helpers shared by the slab tests (tests/test_slab*.c). */
#ifndef TEST_SLAB_UTIL_H
#define TEST_SLAB_UTIL_H

#include <stdbool.h>
#include <sys/types.h>

/* What a forked child wrote to the pipe, and how it ended. */
struct child_result {
	int status;
	char out[16384];
};

/* Parent side: close the write end of @fd, read until EOF, reap @pid. */
void child_collect(pid_t pid, int fd[2], struct child_result *r);

/* Run @fn(@arg) in a forked child whose stderr goes to a pipe; the child
 * exits 0 if @fn returns. Collects the output and the exit status. */
void run_in_child(void (*fn)(void *), void *arg, struct child_result *r);

/* Run this test binary again with @var=@value in its environment and
 * @mode as its argument (for settings read at library start); its stdout
 * and stderr are collected. */
void run_self(const char *var, const char *value, const char *mode,
		struct child_result *r);

/* Did the child die of SIGABRT (a BUG report) and say @text? */
bool child_aborted_with(const struct child_result *r, const char *text);

/* Resident set size of this process, in bytes (/proc/self/statm). */
long rss_bytes(void);

/* True when built with ASan or TSan: skip what they make meaningless. */
bool under_sanitizer(void);
/* True under ASan alone: it reports bad accesses before slab debug can. */
bool under_asan(void);

#endif /* TEST_SLAB_UTIL_H */
