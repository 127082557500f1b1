/* SPDX-License-Identifier: MIT */
/*
 * The security hook sites of the creation path, inline: while no security
 * module is registered and tracing is off, a site costs two loads and a
 * branch, not a call (the kernel gets the same from static calls).
 * Otherwise they call the stack in security.c.
 */
#ifndef SOCKCORE_KERNEL_LSM_H
#define SOCKCORE_KERNEL_LSM_H

#include <stdbool.h>
#include <sockcore/security.h>
#include "kernel/trace.h"

/* Registered security modules (security.c). */
extern int lsm_count;

static inline bool lsm_idle(void)
{
	return __builtin_expect(!__atomic_load_n(&lsm_count, __ATOMIC_RELAXED) &&
				!__atomic_load_n(&sockcore_tracing, __ATOMIC_RELAXED), 1);
}

static inline int lsm_socket_create(int family, int type, int protocol,
		int kern)
{
	return lsm_idle() ? 0 :
		security_socket_create(family, type, protocol, kern);
}

static inline int lsm_socket_post_create(struct socket *sock, int family,
		int type, int protocol, int kern)
{
	return lsm_idle() ? 0 :
		security_socket_post_create(sock, family, type, protocol, kern);
}

static inline int lsm_sk_alloc(struct sock *sk, int family, gfp_t priority)
{
	return lsm_idle() ? 0 : security_sk_alloc(sk, family, priority);
}

static inline void lsm_sk_free(struct sock *sk)
{
	if (!lsm_idle())
		security_sk_free(sk);
}

#endif /* SOCKCORE_KERNEL_LSM_H */
