/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/mptcp.c - the "mptcp6" module: Multipath TCP over IPv6
 * (the IPv6 half of net/mptcp/protocol.c). inet6_create() loads it on the
 * first socket(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP); its init refuses
 * with ENOPROTOOPT where net.mptcp.enabled is 0. Module code: only
 * exported functions are used. (The kernel builds v4 and v6 MPTCP in one
 * unit; here each family's module stands alone, as modules cannot call
 * into one another.)
 */
#include <errno.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP		262
#endif
/* The kernel's object size (/proc/net/protocols). */
#define MPTCPV6_OBJ_SIZE	2064

/* The MPTCP-level socket (as IPv4's module has it), then ipv6_pinfo. */
struct mptcp6_sock {
	struct inet_connection_sock sk;
	uint64_t local_key;
	uint64_t remote_key;
	uint32_t token;
	int rmem_fwd_alloc;
	struct sock *first;		/* the initial subflow, none yet */
};

_Static_assert(sizeof(struct mptcp6_sock) <= IPV6_PINFO_OFFSET(MPTCPV6_OBJ_SIZE),
	       "mptcp6 object too small");

static int mptcp6_init_sock(struct sock *sk)
{
	struct net *net = sock_net(sk);
	const int *enabled = &net->sysctl.mptcp_enabled;

	if (!__atomic_load_n(enabled, __ATOMIC_RELAXED))
		return -ENOPROTOOPT;
	sk->sk_state = TCP_CLOSE;
	/* Buffers as TCP's: the namespace's tcp_wmem/tcp_rmem defaults. */
	sk->sk_sndbuf = __atomic_load_n(&net->sysctl.tcp_wmem[1],
					__ATOMIC_RELAXED);
	sk->sk_rcvbuf = __atomic_load_n(&net->sysctl.tcp_rmem[1],
					__ATOMIC_RELAXED);
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	return 0;
}

static void mptcp6_close(struct sock *sk, long timeout)
{
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sk_common_release(sk);
}

/* Never hashed at creation. */
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

/* Its own ops, owned by the module: open sockets pin it. */
static const struct proto_ops mptcp_v6_stream_ops = {
	.family = PF_INET6,
	.owner = THIS_MODULE,
	.release = inet6_release,
	.socketpair = sock_no_socketpair,
};

static struct inet_protosw mptcp_v6_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_MPTCP,
	.prot = &mptcp_v6_prot,
	.ops = &mptcp_v6_stream_ops,
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
