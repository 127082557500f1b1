/* SPDX-License-Identifier: MIT */
/*
 * The steps of a family's create() that the creation trace shows: the
 * proto's hash and init. Families call these instead of the proto's
 * function pointers, so every family's trace has the same shape.
 */
#ifndef SOCKCORE_CORE_SOCK_INTERNAL_H
#define SOCKCORE_CORE_SOCK_INTERNAL_H

#include <sockcore/sock.h>
#include "kernel/trace.h"

static inline int sk_prot_hash(struct sock *sk)
{
	int err;

	trace_enter(TP_PROTO_HASH);
	err = sk->sk_prot->hash(sk);
	trace_exit(TP_PROTO_HASH, err);
	return err;
}

static inline int sk_prot_init(struct sock *sk)
{
	int err;

	trace_enter(TP_PROTO_INIT);
	err = sk->sk_prot->init(sk);
	trace_exit(TP_PROTO_INIT, err);
	return err;
}

#endif /* SOCKCORE_CORE_SOCK_INTERNAL_H */
