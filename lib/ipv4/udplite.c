/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/udplite.c - UDP-Lite (RFC 3828) as a loadable module
 * (net/ipv4/udplite.c). inet_create() loads it on the first
 * socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE) through its aliases.
 * Module code: only exported functions of the library are used.
 */
#include <sockcore/inet.h>
#include <sockcore/module.h>

/* The kernel's UDP-Lite object is a udp_sock, the same size as UDP's. */
#define UDPLITE_OBJ_SIZE	1344

_Static_assert(sizeof(struct udp_sock) <= UDPLITE_OBJ_SIZE,
	       "struct udp_sock outgrew the kernel's UDP-Lite object");

static int udplite_sk_init(struct sock *sk)
{
	udp_sk(sk)->pcflag = UDPLITE_BIT;
	return udp_init_sock(sk);
}

/* Never hashed at creation (inet_num is 0 until bind). */
static void udplite_unhash(struct sock *sk)
{
}

static struct proto udplite_prot = {
	.name = "UDP-Lite",
	.owner = THIS_MODULE,
	.obj_size = UDPLITE_OBJ_SIZE,
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = udplite_sk_init,
	.close = udp_lib_close,
	.unhash = udplite_unhash,
};

static struct inet_protosw udplite4_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_UDPLITE,
	.prot = &udplite_prot,
	.ops = &inet_dgram_ops,
	.flags = 0,
};

static int udplite4_init(void)
{
	int err;

	err = proto_register(&udplite_prot, 1);
	if (err)
		return err;
	err = inet_register_protosw(&udplite4_protosw);
	if (err)
		proto_unregister(&udplite_prot);
	return err;
}

static void udplite4_exit(void)
{
	inet_unregister_protosw(&udplite4_protosw);
	proto_unregister(&udplite_prot);
}

SOCKCORE_MODULE("udplite", udplite4_init, udplite4_exit);
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-136");
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-136-type-2");
