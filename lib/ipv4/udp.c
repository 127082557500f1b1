/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/udp.c - udp_prot (net/ipv4/udp.c). Its init and close are
 * exported because UDP-Lite, a loadable module, is UDP with another
 * checksum and shares them, as in the kernel.
 */
#include <sockcore/inet.h>
#include <sockcore/module.h>
#include "protocol.h"

int udp_init_sock(struct sock *sk)
{
	struct udp_sock *up = udp_sk(sk);

	/* Start dropping forwarded memory credit at a quarter of rcvbuf. */
	up->forward_threshold = sk->sk_rcvbuf >> 2;
	inet_inuse_add(sk, 1);
	return 0;
}

void udp_lib_close(struct sock *sk, long timeout)
{
	inet_close_counted(sk, timeout);
}

struct proto udp_prot = {
	.name = "UDP",
	.owner = THIS_MODULE,
	.obj_size = UDP_OBJ_SIZE,
	/* Lookups walk the hash under RCU against freed socks. */
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = udp_init_sock,
	.close = udp_lib_close,
	.unhash = inet_unhash_none,
};
