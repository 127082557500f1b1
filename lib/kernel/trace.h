/* SPDX-License-Identifier: MIT */
/*
 * Tracepoints (see <sockcore/trace.h>). trace_enter()/trace_exit() compile
 * to a load of sockcore_tracing and a branch that is not taken while
 * tracing is off; the work is out of line.
 */
#ifndef SOCKCORE_KERNEL_TRACE_H
#define SOCKCORE_KERNEL_TRACE_H

#include <sockcore/trace.h>

enum tracepoint {
	TP_SYS_SOCKET,
	TP_SYS_SOCKETPAIR,
	TP_SOCK_CREATE,
	TP_SECURITY_SOCKET_CREATE,
	TP_SOCK_ALLOC,
	TP_REQUEST_MODULE,
	TP_MODULE_INIT,
	TP_FAMILY_LOOKUP,
	TP_PF_CREATE,
	TP_PROTOSW_LOOKUP,
	TP_SK_ALLOC,
	TP_KMEM_CACHE_ALLOC,
	TP_SOCK_INIT_DATA,
	TP_PROTO_HASH,
	TP_PROTO_INIT,
	TP_SECURITY_SOCKET_POST_CREATE,
	TP_FD_INSTALL,
	TP_SYS_CLOSE,
	TP_SOCK_RELEASE,
	TP_NR,
};

extern int sockcore_tracing;

void __trace_enter(enum tracepoint tp);
void __trace_exit(enum tracepoint tp, int ret);

static inline void trace_enter(enum tracepoint tp)
{
	if (__builtin_expect(__atomic_load_n(&sockcore_tracing,
					     __ATOMIC_RELAXED), 0))
		__trace_enter(tp);
}

static inline void trace_exit(enum tracepoint tp, int ret)
{
	if (__builtin_expect(__atomic_load_n(&sockcore_tracing,
					     __ATOMIC_RELAXED), 0))
		__trace_exit(tp, ret);
}

/* Read SOCKCORE_TRACE (run when the library is loaded). */
void trace_init_from_env(void);

#endif /* SOCKCORE_KERNEL_TRACE_H */
