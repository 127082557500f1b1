/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/af_inet6.c - the AF_INET6 family: the protocol switch inetsw6
 * and inet6_create() (net/ipv6/af_inet6.c).
 *
 * inet6_create() follows inet_create() check for check; the differences
 * are the ones the kernel has: its own switch, ENOBUFS when sk_alloc()
 * fails, PF_INET6 in the module names, and the ipv6_pinfo at the end of
 * the object.
 */
#include <errno.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/task.h>

#include "kernel/rcu.h"
#include "core/builtin.h"
#include "ipv6_internal.h"
#include "kernel/fork.h"
#include "core/sock_internal.h"
#include "ipv4/protosw.h"

/* The protocol switch (lib/ipv4/protosw.h), its own for IPv6. */
static struct protosw_table inetsw6 = PROTOSW_TABLE_INIT(inetsw6);
FORK_HOOK_MUTEX(inetsw6_fork, FORK_RANK_PROTOSW, &inetsw6.lock)

int inet6_register_protosw(struct inet_protosw *p)
{
	return protosw_register(&inetsw6, p);
}

/* Without the PERMANENT check: the family's own exit. */
void inet6_protosw_remove(struct inet_protosw *p)
{
	protosw_remove(&inetsw6, p);
}

int inet6_unregister_protosw(struct inet_protosw *p)
{
	return protosw_unregister(&inetsw6, p);
}

int inet6_protosw_for_each(int (*fn)(const struct inet_protosw *p, void *arg),
		void *arg)
{
	return protosw_for_each(&inetsw6, fn, arg);
}

/* The IPv6 and IPv4 defaults of a fresh socket (inet6_create()'s tail). */
static void inet6_init_sock_defaults(struct net *net, struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ipv6_pinfo *np = inet6_sk_generic(sk);

	inet->pinet6 = np;
	np->hop_limit = -1;
	np->mcast_hops = IPV6_DEFAULT_MCASTHOPS;
	np->mc_loop = 1;
	np->mc_all = 1;
	np->pmtudisc = SC_IPV6_PMTUDISC_WANT;

	/* The IPv4 part too: an IPv6 socket may carry IPv4 traffic
	 * (v4-mapped addresses). */
	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_index = 0;
	inet->mc_list = NULL;
	inet->rcv_tos = 0;
	if (__atomic_load_n(&net->sysctl.ip_no_pmtu_disc, __ATOMIC_RELAXED))
		inet->pmtudisc = SC_IP_PMTUDISC_DONT;
	else
		inet->pmtudisc = SC_IP_PMTUDISC_WANT;
}

/* Hash a raw socket and run the proto's init; on error the sock is gone. */
static int inet6_sock_finish(struct socket *sock, struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	int err = 0;

	if (inet->inet_num) {
		inet->inet_sport = htons(inet->inet_num);
		err = sk_prot_hash(sk);
		if (err)
			goto out_release;
	}
	if (sk->sk_prot->init) {
		err = sk_prot_init(sk);
		if (err)
			goto out_release;
	}
	return 0;

out_release:
	sk_common_release(sk);
	/* The core releases the socket without the ops: leave no pointer
	 * to the freed sock behind. */
	sock->sk = NULL;
	return err;
}

static int inet6_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct protosw_answer ans;
	struct inet_sock *inet;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;

	sock->state = SS_UNCONNECTED;
	err = protosw_find(&inetsw6, PF_INET6, net, sock, &protocol, kern, &ans);
	if (err)
		return err;

	sk = sk_alloc_owner_held(net, PF_INET6, GFP_KERNEL, ans.prot, kern);
	if (!sk) {
		module_put(ans.prot->owner);
		return -ENOBUFS;
	}

	sock_init_data(sock, sk);
	if (ans.flags & INET_PROTOSW_REUSE)
		sk->sk_reuse = SK_CAN_REUSE;

	inet = inet_sk(sk);
	inet->is_icsk = !!(ans.flags & INET_PROTOSW_ICSK);
	inet->nodefrag = 0;
	if (sock->type == SOCK_RAW) {
		inet->inet_num = protocol;
		if (protocol == IPPROTO_RAW)
			inet->hdrincl = 1;
	}

	sk->sk_destruct = inet6_sock_destruct;
	sk->sk_family = PF_INET6;
	sk->sk_protocol = protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;
	inet6_init_sock_defaults(net, sk);

	return inet6_sock_finish(sock, sk);
}

void inet6_sock_destruct(struct sock *sk)
{
	/* No IPv6 options, multicast or flow-label lists are ever attached
	 * on the creation path, so only the IPv4 part has state to drop. */
	inet_sock_destruct(sk);
}

int inet6_release(struct socket *sock)
{
	if (!sock->sk)
		return -EINVAL;
	/* ipv6_sock_mc_close()/ipv6_sock_ac_close() have nothing to free
	 * here: the lists are only filled by setsockopt(). */
	return inet_release(sock);
}

#define INET6_OPS(name)					\
	const struct proto_ops name = {			\
		.family = PF_INET6,			\
		.owner = THIS_MODULE,			\
		.release = inet6_release,		\
		.socketpair = sock_no_socketpair,	\
	}

INET6_OPS(inet6_stream_ops);
INET6_OPS(inet6_dgram_ops);
INET6_OPS(inet6_sockraw_ops);

static const struct net_proto_family inet6_family_ops = {
	.family = PF_INET6,
	.create = inet6_create,
	.owner = THIS_MODULE,
};

int inet6_init(void)
{
	int err;

	err = raw6_init();
	if (err)
		return err;
	err = inet6_protos_register();
	if (err)
		goto out_raw;
	err = sock_register(&inet6_family_ops);
	if (err)
		goto out_protos;
	return 0;

out_protos:
	inet6_protos_unregister();
out_raw:
	raw6_exit();
	return err;
}

void inet6_exit(void)
{
	sock_unregister(PF_INET6);
	inet6_protos_unregister();
	raw6_exit();
}
