/* SPDX-License-Identifier: MIT */
/*
 * Tracepoints and the function_graph-style printer.
 *
 * The printer holds back a step's opening line until it knows whether the
 * step has children: a leaf prints as one line "name();" with its duration,
 * a step with children as "name() {" ... "} duration", as ftrace does.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kernel/trace.h"
#include "kernel/fork.h"

#define TRACE_MAX_DEPTH 32

int sockcore_tracing;

static const char *const tp_names[TP_NR] = {
	[TP_SYS_SOCKET] = "sys_socket",
	[TP_SYS_SOCKETPAIR] = "sys_socketpair",
	[TP_SOCK_CREATE] = "__sock_create",
	[TP_SECURITY_SOCKET_CREATE] = "security_socket_create",
	[TP_SOCK_ALLOC] = "sock_alloc",
	[TP_REQUEST_MODULE] = "request_module",
	[TP_MODULE_INIT] = "module_init",
	[TP_FAMILY_LOOKUP] = "net_families_lookup",
	[TP_PF_CREATE] = "pf->create",
	[TP_PROTOSW_LOOKUP] = "protosw_lookup",
	[TP_SK_ALLOC] = "sk_alloc",
	[TP_KMEM_CACHE_ALLOC] = "kmem_cache_alloc",
	[TP_SOCK_INIT_DATA] = "sock_init_data",
	[TP_PROTO_HASH] = "proto->hash",
	[TP_PROTO_INIT] = "proto->init",
	[TP_SECURITY_SOCKET_POST_CREATE] = "security_socket_post_create",
	[TP_FD_INSTALL] = "fd_install",
	[TP_SYS_CLOSE] = "sys_close",
	[TP_SOCK_RELEASE] = "sock_release",
};

static pthread_mutex_t trace_mutex = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(trace_fork, FORK_RANK_TRACE, &trace_mutex)
static sockcore_trace_fn trace_fn;
static void *trace_arg;

struct trace_frame {
	uint64_t start;
};

struct trace_state {
	int depth;
	struct trace_frame frame[TRACE_MAX_DEPTH];
};

static __thread struct trace_state tstate;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void emit(const struct sockcore_trace_event *ev)
{
	sockcore_trace_fn fn;
	void *arg;

	pthread_mutex_lock(&trace_mutex);
	fn = trace_fn;
	arg = trace_arg;
	pthread_mutex_unlock(&trace_mutex);
	if (fn)
		fn(ev, arg);
}

void __trace_enter(enum tracepoint tp)
{
	struct trace_state *t = &tstate;
	struct sockcore_trace_event ev = {
		.name = tp_names[tp], .depth = t->depth, .ns = now_ns(),
	};

	if (t->depth < TRACE_MAX_DEPTH)
		t->frame[t->depth].start = ev.ns;
	t->depth++;
	emit(&ev);
}

void __trace_exit(enum tracepoint tp, int ret)
{
	struct trace_state *t = &tstate;
	struct sockcore_trace_event ev = {
		.name = tp_names[tp], .exit = 1, .ret = ret, .ns = now_ns(),
	};

	if (t->depth > 0)
		t->depth--;
	ev.depth = t->depth;
	if (t->depth < TRACE_MAX_DEPTH)
		ev.duration_ns = ev.ns - t->frame[t->depth].start;
	emit(&ev);
}

void sockcore_trace_set(sockcore_trace_fn fn, void *arg)
{
	pthread_mutex_lock(&trace_mutex);
	trace_fn = fn;
	trace_arg = arg;
	__atomic_store_n(&sockcore_tracing, fn != NULL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&trace_mutex);
}

/* ---- function_graph printer ------------------------------------------ */

struct graph {
	FILE *out;
};
static struct graph graph;
static __thread const char *pending;	/* enter not printed yet */
static __thread int pending_depth;

static void print_line(FILE *out, uint64_t dur_ns, int has_dur, int depth,
		const char *text, const char *name, int ret)
{
	char dur[24] = "";

	if (has_dur)
		snprintf(dur, sizeof(dur), "%8.3f us", (double)dur_ns / 1000.0);
	fprintf(out, " %5d) %11s |  %*s%s%s", (int)gettid(), dur, depth * 2,
		"", name ? name : "", text);
	if (ret < 0)
		fprintf(out, " /* = %d */", ret);
	fputc('\n', out);
}

static void flush_pending(FILE *out)
{
	if (pending) {
		print_line(out, 0, 0, pending_depth, "() {", pending, 0);
		pending = NULL;
	}
}

static void graph_event(const struct sockcore_trace_event *ev, void *arg)
{
	struct graph *g = arg;

	flockfile(g->out);
	if (!ev->exit) {
		flush_pending(g->out);
		pending = ev->name;
		pending_depth = ev->depth;
	} else if (pending == ev->name && pending_depth == ev->depth) {
		print_line(g->out, ev->duration_ns, 1, ev->depth, "();",
			   ev->name, ev->ret);
		pending = NULL;
	} else {
		flush_pending(g->out);
		print_line(g->out, ev->duration_ns, 1, ev->depth, "}", NULL,
			   ev->ret);
	}
	funlockfile(g->out);
}

void sockcore_trace_to(FILE *out)
{
	graph.out = out;
	sockcore_trace_set(out ? graph_event : NULL, out ? &graph : NULL);
}

/* Read at load time: a trace switched on from the environment must see
 * the first socket's creation from its start, before the library's
 * lazy initialisation runs inside it. */
__attribute__((constructor))
void trace_init_from_env(void)
{
	const char *env = getenv("SOCKCORE_TRACE");

	if (env && *env && strcmp(env, "0") != 0)
		sockcore_trace_to(stderr);
}
