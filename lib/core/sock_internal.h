/* SPDX-License-Identifier: MIT */
/*
 * What families' create() share beyond <sockcore/sock.h>: the steps the
 * creation trace shows (the proto's hash and init; families call these
 * instead of the proto's function pointers, so every family's trace has
 * the same shape), and sk_alloc() for a caller that holds a module
 * reference already.
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

/*
 * sk_alloc() for a caller that already holds a reference to
 * @prot->owner and gives it to the new sock, which drops it when freed.
 * The protocol switch takes that reference inside its RCU read section
 * (the entry may go away after it); handing it over saves a get and a put
 * (two atomics) per socket of a loadable protocol. On failure the
 * reference is still the caller's.
 */
struct sock *sk_alloc_owner_held(struct net *net, int family,
		gfp_t priority, struct proto *prot, int kern);

#endif /* SOCKCORE_CORE_SOCK_INTERNAL_H */
