/* SPDX-License-Identifier: MIT */
/*
 * libsockcore-lttng: feeds libsockcore's tracepoints to LTTng-UST.
 *
 * Loaded into a program (linked, or LD_PRELOAD=libsockcore-lttng.so), it
 * installs a trace callback at start-up that turns every enter and exit
 * event into the LTTng events sockcore:step_enter and sockcore:step_exit.
 * It replaces any other callback (SOCKCORE_TRACE=1's printer included):
 * the library has one trace consumer at a time.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "lttng_tp.h"

#include <sockcore/trace.h>

static void lttng_feed(const struct sockcore_trace_event *ev, void *arg)
{
	(void)arg;
	if (ev->exit)
		lttng_ust_tracepoint(sockcore, step_exit, ev->name, ev->depth,
				     ev->ret, ev->duration_ns);
	else
		lttng_ust_tracepoint(sockcore, step_enter, ev->name, ev->depth);
}

__attribute__((constructor))
static void sockcore_lttng_init(void)
{
	sockcore_trace_set(lttng_feed, NULL);
}

__attribute__((destructor))
static void sockcore_lttng_exit(void)
{
	sockcore_trace_set(NULL, NULL);
}
