/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/mptcp.c - the "mptcp6" module: MPTCP over IPv6
 * (net/mptcp/protocol.c, the IPv6 half). Loaded on demand by
 * inet6_create() through its aliases; uses only the exported API.
 */
#include <errno.h>
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP		262
#endif
#define MPTCPV6_OBJ_SIZE	2064

_Static_assert(sizeof(struct inet_connection_sock) <=
	       IPV6_PINFO_OFFSET(MPTCPV6_OBJ_SIZE), "mptcp6 object too small");

/* mptcp_init_sock(): a namespace with net.mptcp.enabled = 0 refuses. */
static int mptcp6_init_sock(struct sock *sk)
{
	const int *enabled = &sock_net(sk)->sysctl.mptcp_enabled;

	if (!__atomic_load_n(enabled, __ATOMIC_RELAXED))
		return -ENOPROTOOPT;
	return 0;
}

static void mptcp6_close(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

/* A fresh MPTCP socket is in no table. */
static void mptcp6_unhash(struct sock *sk)
{
}

static struct proto mptcp_v6_prot = {
	.name = "MPTCPv6",
	.owner = THIS_MODULE,
	.obj_size = MPTCPV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(MPTCPV6_OBJ_SIZE),
	.init = mptcp6_init_sock,
	.close = mptcp6_close,
	.unhash = mptcp6_unhash,
};

static struct inet_protosw mptcp_v6_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_MPTCP,
	.prot = &mptcp_v6_prot,
	.ops = &inet6_stream_ops,
	.flags = INET_PROTOSW_ICSK,
};

static int mptcp6_init(void)
{
	int err;

	err = proto_register(&mptcp_v6_prot, 1);
	if (err)
		return err;
	err = inet6_register_protosw(&mptcp_v6_protosw);
	if (err)
		proto_unregister(&mptcp_v6_prot);
	return err;
}

static void mptcp6_exit(void)
{
	inet6_unregister_protosw(&mptcp_v6_protosw);
	proto_unregister(&mptcp_v6_prot);
}

SOCKCORE_MODULE("mptcp6", mptcp6_init, mptcp6_exit);
SOCKCORE_MODULE_ALIAS("net-pf-10-proto-262-type-1");
SOCKCORE_MODULE_ALIAS("net-pf-10-proto-262");
