/* SPDX-License-Identifier: MIT */
/*
 * lib/mptcp/protocol.c - Multipath TCP sockets, IPv4 and IPv6, as one
 * loadable module "mptcp" (the kernel's net/mptcp/protocol.c, which holds
 * mptcp_prot and mptcp_v6_prot side by side). The first
 * socket(AF_INET or AF_INET6, SOCK_STREAM, IPPROTO_MPTCP) loads it
 * through its aliases; its init refuses with ENOPROTOOPT in a namespace
 * where net.mptcp.enabled is 0. Module code: only exported functions.
 */
#include <errno.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sockcore/inet.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP		262
#endif
/* The kernel's object sizes (/proc/net/protocols); the bytes beyond our
 * structs stand for state we do not model. */
#define MPTCP_OBJ_SIZE		1936
#define MPTCPV6_OBJ_SIZE	2064

/* The MPTCP-level socket; its subflows would be plain TCP socks. An IPv6
 * one has the same and its ipv6_pinfo at the end of the object. */
struct mptcp_sock {
	struct inet_connection_sock sk;
	uint64_t local_key;
	uint64_t remote_key;
	uint32_t token;
	int rmem_fwd_alloc;
	struct sock *first;		/* the initial subflow, none yet */
};

_Static_assert(sizeof(struct mptcp_sock) <= MPTCP_OBJ_SIZE,
	       "struct mptcp_sock outgrew the kernel's MPTCP object");
_Static_assert(sizeof(struct mptcp_sock) <= IPV6_PINFO_OFFSET(MPTCPV6_OBJ_SIZE),
	       "struct mptcp_sock overlaps the MPTCPv6 object's ipv6_pinfo");

static int mptcp_init_sock(struct sock *sk)
{
	struct net *net = sock_net(sk);

	if (!__atomic_load_n(&net->sysctl.mptcp_enabled, __ATOMIC_RELAXED))
		return -ENOPROTOOPT;
	sk->sk_state = TCP_CLOSE;
	/* Buffers as TCP's: the namespace's tcp_wmem/tcp_rmem defaults. */
	sk->sk_sndbuf = __atomic_load_n(&net->sysctl.tcp_wmem[1], __ATOMIC_RELAXED);
	sk->sk_rcvbuf = __atomic_load_n(&net->sysctl.tcp_rmem[1], __ATOMIC_RELAXED);
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	return 0;
}

static void mptcp_close(struct sock *sk, long timeout)
{
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sk_common_release(sk);
}

/* Never hashed at creation. */
static void mptcp_unhash(struct sock *sk)
{
}

static struct proto mptcp_prot = {
	.name = "MPTCP",
	.owner = THIS_MODULE,
	.obj_size = MPTCP_OBJ_SIZE,
	.init = mptcp_init_sock,
	.close = mptcp_close,
	.unhash = mptcp_unhash,
};

static struct proto mptcp_v6_prot = {
	.name = "MPTCPv6",
	.owner = THIS_MODULE,
	.obj_size = MPTCPV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(MPTCPV6_OBJ_SIZE),
	.init = mptcp_init_sock,
	.close = mptcp_close,
	.unhash = mptcp_unhash,
};

/* Their own ops, owned by the module: open sockets pin it. */
static const struct proto_ops mptcp_stream_ops = {
	.family = PF_INET,
	.owner = THIS_MODULE,
	.release = inet_release,
	.socketpair = sock_no_socketpair,
};

static const struct proto_ops mptcp_v6_stream_ops = {
	.family = PF_INET6,
	.owner = THIS_MODULE,
	.release = inet6_release,
	.socketpair = sock_no_socketpair,
};

static struct inet_protosw mptcp_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_MPTCP,
	.prot = &mptcp_prot,
	.ops = &mptcp_stream_ops,
	.flags = INET_PROTOSW_ICSK,
};

static struct inet_protosw mptcp_v6_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_MPTCP,
	.prot = &mptcp_v6_prot,
	.ops = &mptcp_v6_stream_ops,
	.flags = INET_PROTOSW_ICSK,
};

static int mptcp_module_init(void)
{
	int err;

	err = proto_register(&mptcp_prot, 1);
	if (err)
		return err;
	err = proto_register(&mptcp_v6_prot, 1);
	if (err)
		goto out_prot;
	err = inet_register_protosw(&mptcp_protosw);
	if (err)
		goto out_v6_prot;
	err = inet6_register_protosw(&mptcp_v6_protosw);
	if (err)
		goto out_protosw;
	return 0;

out_protosw:
	inet_unregister_protosw(&mptcp_protosw);
out_v6_prot:
	proto_unregister(&mptcp_v6_prot);
out_prot:
	proto_unregister(&mptcp_prot);
	return err;
}

static void mptcp_module_exit(void)
{
	inet6_unregister_protosw(&mptcp_v6_protosw);
	inet_unregister_protosw(&mptcp_protosw);
	proto_unregister(&mptcp_v6_prot);
	proto_unregister(&mptcp_prot);
}

SOCKCORE_MODULE("mptcp", mptcp_module_init, mptcp_module_exit);
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-262");
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-262-type-1");
SOCKCORE_MODULE_ALIAS("net-pf-10-proto-262");
SOCKCORE_MODULE_ALIAS("net-pf-10-proto-262-type-1");
