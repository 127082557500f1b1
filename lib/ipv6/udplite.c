/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/udplite.c - the "udplite6" module: UDP-Lite over IPv6
 * (net/ipv6/udplite.c). Loaded on demand by inet6_create() through its
 * aliases; uses only the exported API.
 */
#include <errno.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>

#define UDPLITEV6_OBJ_SIZE	1472
#define UDPLITE_BIT		0x1	/* set by a UDP-Lite socket */

struct udplite6_sock {
	struct inet_sock inet;
	uint8_t pcflag;		/* UDP-Lite checksum coverage in use */
};

_Static_assert(sizeof(struct udplite6_sock) <=
	       IPV6_PINFO_OFFSET(UDPLITEV6_OBJ_SIZE), "udplite6 object too small");

/* udplitev6_sk_init(): a UDPv6 socket with the UDP-Lite bit. */
static int udplitev6_sk_init(struct sock *sk)
{
	int err = 0;

	if (udpv6_prot.init)
		err = udpv6_prot.init(sk);
	if (!err)
		((struct udplite6_sock *)sk)->pcflag = UDPLITE_BIT;
	return err;
}

static void udplitev6_close(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

/* An unbound socket is in no UDP table. */
static void udplitev6_unhash(struct sock *sk)
{
}

static struct proto udplitev6_prot = {
	.name = "UDPLITEv6",
	.owner = THIS_MODULE,
	.obj_size = UDPLITEV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(UDPLITEV6_OBJ_SIZE),
	.init = udplitev6_sk_init,
	.close = udplitev6_close,
	.unhash = udplitev6_unhash,
};

/* Not PERMANENT, unlike the built-in kernel entry: a loadable module must
 * be able to take its entry out again. */
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
