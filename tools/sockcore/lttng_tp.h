/* SPDX-License-Identifier: MIT */
/*
 * LTTng-UST tracepoint provider "sockcore": one event per enter and exit
 * of a step of the creation path (see <sockcore/trace.h>).
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER sockcore

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./lttng_tp.h"

#if !defined(SOCKCORE_LTTNG_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define SOCKCORE_LTTNG_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT(sockcore, step_enter,
	LTTNG_UST_TP_ARGS(const char *, name, int, depth),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(int, depth, depth)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(sockcore, step_exit,
	LTTNG_UST_TP_ARGS(const char *, name, int, depth, int, ret,
			  uint64_t, duration_ns),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_string(name, name)
		lttng_ust_field_integer(int, depth, depth)
		lttng_ust_field_integer(int, ret, ret)
		lttng_ust_field_integer(uint64_t, duration_ns, duration_ns)
	)
)

#endif /* SOCKCORE_LTTNG_TP_H */

#include <lttng/tracepoint-event.h>
