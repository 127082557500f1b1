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

/* Resident set size of this process, in bytes (/proc/self/statm). */
long rss_bytes(void);

/* True when built with ASan or TSan: skip what they make meaningless. */
bool under_sanitizer(void);

#endif /* TEST_SLAB_UTIL_H */
