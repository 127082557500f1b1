/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/udplite.c - the "udplite6" module: UDP-Lite over IPv6
 * (net/ipv6/udplite.c). inet6_create() loads it on the first
 * socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE) through its aliases.
 * Module code: only exported functions of the library are used; the UDP
 * init and close are IPv4's, shared as in the kernel.
 */
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>

/* The kernel's UDP-Lite v6 object is a udp6_sock, the size of UDPv6's. */
#define UDPLITEV6_OBJ_SIZE	1472

_Static_assert(sizeof(struct udp_sock) <= IPV6_PINFO_OFFSET(UDPLITEV6_OBJ_SIZE),
	       "udplite6 object too small");

static int udplitev6_sk_init(struct sock *sk)
{
	udp_sk(sk)->pcflag = UDPLITE_BIT;
	return udp_init_sock(sk);
}

/* Never hashed at creation (inet_num is 0 until bind). */
static void udplitev6_unhash(struct sock *sk)
{
}

static struct proto udplitev6_prot = {
	.name = "UDPLITEv6",
	.owner = THIS_MODULE,
	.obj_size = UDPLITEV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(UDPLITEV6_OBJ_SIZE),
	.init = udplitev6_sk_init,
	.close = udp_lib_close,
	.unhash = udplitev6_unhash,
};

/* Not PERMANENT, unlike the kernel's built-in entry: a loadable module
 * must be able to take its entry out again. */
static struct inet_protosw udplite6_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_UDPLITE,
	.prot = &udplitev6_prot,
	.ops = &inet6_dgram_ops,
	.flags = 0,
};

static int udplite6_init(void)
{
	int err;

	err = proto_register(&udplitev6_prot, 1);
	if (err)
		return err;
	err = inet6_register_protosw(&udplite6_protosw);
	if (err)
		proto_unregister(&udplitev6_prot);
	return err;
}

static void udplite6_exit(void)
{
	inet6_unregister_protosw(&udplite6_protosw);
	proto_unregister(&udplitev6_prot);
}

SOCKCORE_MODULE("udplite6", udplite6_init, udplite6_exit);
SOCKCORE_MODULE_ALIAS("net-pf-10-proto-136-type-2");
SOCKCORE_MODULE_ALIAS("net-pf-10-proto-136");
