/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/trace.h> - tracepoints on the socket-creation path.
 *
 * Every step of the path (sys_socket, __sock_create, the security hooks,
 * request_module, the family-table read, pf->create, the protocol-switch
 * lookup, sk_alloc, the slab allocation, sock_init_data, the proto's hash
 * and init, the descriptor install, release) is a tracepoint with an enter
 * and an exit event. Off, a tracepoint costs one load and one predictable
 * branch. On, events go to a callback, or, with SOCKCORE_TRACE=1 in the
 * environment, to stderr as a nested call graph with per-step durations in
 * the style of ftrace's function_graph tracer.
 */
#ifndef SOCKCORE_TRACE_H
#define SOCKCORE_TRACE_H

#include <stdint.h>
#include <stdio.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

struct sockcore_trace_event {
	const char *name;	/* "sys_socket", "sk_alloc", ... */
	int depth;		/* nesting level on this thread, from 0 */
	int exit;		/* 0: enter, 1: exit */
	int ret;		/* exit: the step's result (0 or -errno) */
	uint64_t ns;		/* CLOCK_MONOTONIC time of the event */
	uint64_t duration_ns;	/* exit: time since the matching enter */
};

typedef void (*sockcore_trace_fn)(const struct sockcore_trace_event *ev,
		void *arg);

/*
 * Send every event to @fn (NULL: stop tracing). Events of all threads come
 * to the same callback, on the thread that runs the step; it must be
 * thread-safe and must not create sockets.
 */
SOCKCORE_API void sockcore_trace_set(sockcore_trace_fn fn, void *arg);

/* Print events as a function_graph call graph to @out (NULL: stop). */
SOCKCORE_API void sockcore_trace_to(FILE *out);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_TRACE_H */
