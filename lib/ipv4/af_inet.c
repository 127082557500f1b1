/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/af_inet.c - the AF_INET family: the protocol switch inetsw[],
 * inet_create() and the family's registration (net/ipv4/af_inet.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <sockcore/inet.h>
#include <sockcore/module.h>
#include <sockcore/task.h>
#include "kernel/rcu.h"
#include "core/builtin.h"
#include "core/sock_internal.h"
#include "protocol.h"
#include "kernel/fork.h"
#include "protosw.h"

_Static_assert(INET_IPPROTO_MAX == IPPROTO_MPTCP + 1,
	       "IPPROTO_MAX must let MPTCP through");

/*
 * The protocol switch, one RCU list per socket type. Statically
 * initialised so that a program may register an entry before the
 * library's first socket.
 */
static struct protosw_table inetsw = PROTOSW_TABLE_INIT(inetsw);
FORK_HOOK_MUTEX(inetsw_fork, FORK_RANK_PROTOSW, &inetsw.lock)

/* Everything after sk_alloc(): the inet part of the new sock. */
static void inet_sock_setup(struct socket *sock, struct sock *sk,
			    int protocol, unsigned char flags)
{
	struct inet_sock *inet = inet_sk(sk);

	if (flags & INET_PROTOSW_REUSE)
		sk->sk_reuse = SK_CAN_REUSE;
	inet->is_icsk = (flags & INET_PROTOSW_ICSK) != 0;
	inet->nodefrag = 0;

	if (sock->type == SOCK_RAW) {
		inet->inet_num = protocol;
		if (protocol == IPPROTO_RAW)
			inet->hdrincl = 1;
	}

	/* A sysctl: read once for this creation. */
	if (__atomic_load_n(&sock_net(sk)->sysctl.ip_no_pmtu_disc,
			    __ATOMIC_RELAXED))
		inet->pmtudisc = IP_PMTUDISC_DONT;
	else
		inet->pmtudisc = IP_PMTUDISC_WANT;
	inet->inet_id = 0;

	sock_init_data(sock, sk);

	sk->sk_destruct = inet_sock_destruct;
	sk->sk_protocol = protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;

	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_all = 1;
	inet->mc_index = 0;
	inet->mc_list = NULL;
	inet->rcv_tos = 0;
}

static int inet_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct protosw_answer ans;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= INET_IPPROTO_MAX)
		return -EINVAL;

	sock->state = SS_UNCONNECTED;

	err = protosw_find(&inetsw, PF_INET, net, sock, &protocol, kern, &ans);
	if (err)
		return err;

	/* The modern kernel's answer for IPv4; the seeds' ENOBUFS is older. */
	sk = sk_alloc_owner_held(net, PF_INET, GFP_KERNEL, ans.prot, kern);
	err = -ENOMEM;
	if (!sk) {
		module_put(ans.prot->owner);
		goto out;
	}

	inet_sock_setup(sock, sk, protocol, ans.flags);

	if (inet_sk(sk)->inet_num) {
		/* A protocol that gets its number at creation is hashed now. */
		inet_sk(sk)->inet_sport = htons(inet_sk(sk)->inet_num);
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
	/* The caller releases @sock: it must not find the freed sock. */
	sock->sk = NULL;
	sk_common_release(sk);
out:
	return err;
}

static const struct net_proto_family inet_family_ops = {
	.family = PF_INET,
	.create = inet_create,
	.owner = THIS_MODULE,
};

int inet_register_protosw(struct inet_protosw *p)
{
	return protosw_register(&inetsw, p);
}

int inet_unregister_protosw(struct inet_protosw *p)
{
	return protosw_unregister(&inetsw, p);
}

int inet_protosw_for_each(int (*fn)(const struct inet_protosw *p, void *arg),
			  void *arg)
{
	return protosw_for_each(&inetsw, fn, arg);
}

int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		/* No SO_LINGER here: close without waiting. */
		sock->sk = NULL;
		sk->sk_prot->close(sk, 0);
	}
	return 0;
}

/* close() of the protos counted in use from init to close (protocol.h). */
void inet_close_counted(struct sock *sk, long timeout)
{
	inet_inuse_add(sk, -1);
	sk_common_release(sk);
}

/* unhash() of the protos that are never hashed on the creation path. */
void inet_unhash_none(struct sock *sk)
{
}

static bool skb_queue_empty(const struct sk_buff_head *list)
{
	return __atomic_load_n(&list->qlen, __ATOMIC_RELAXED) == 0;
}

/*
 * The last reference is gone. Nothing on the creation path queues data,
 * so non-empty queues mean someone leaked buffers into this sock: say so,
 * as the kernel's WARN_ONs do, rather than free what we do not own.
 */
void inet_sock_destruct(struct sock *sk)
{
	if (!skb_queue_empty(&sk->sk_receive_queue) ||
	    !skb_queue_empty(&sk->sk_write_queue) ||
	    !skb_queue_empty(&sk->sk_error_queue))
		fprintf(stderr, "sockcore: inet sock %p destroyed with queued data\n",
			(void *)sk);
}

/* The three differ only in ops this library does not model (poll...). */
#define INET_PROTO_OPS {				\
	.family = PF_INET,				\
	.owner = THIS_MODULE,				\
	.release = inet_release,			\
	.socketpair = sock_no_socketpair,		\
	.getsockopt = NULL,				\
}

const struct proto_ops inet_stream_ops = INET_PROTO_OPS;
const struct proto_ops inet_dgram_ops = INET_PROTO_OPS;
/* Raw and ping sockets. */
const struct proto_ops inet_sockraw_ops = INET_PROTO_OPS;

/* Upon startup these are inserted into the inetsw[] lists, in this order. */
static struct inet_protosw inetsw_array[] = {
	{
		.type = SOCK_STREAM,
		.protocol = IPPROTO_TCP,
		.prot = &tcp_prot,
		.ops = &inet_stream_ops,
		.flags = INET_PROTOSW_PERMANENT | INET_PROTOSW_ICSK,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
		.prot = &udp_prot,
		.ops = &inet_dgram_ops,
		.flags = INET_PROTOSW_PERMANENT,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_ICMP,
		.prot = &ping_prot,
		.ops = &inet_sockraw_ops,
		.flags = INET_PROTOSW_REUSE,
	},
	{
		.type = SOCK_RAW,
		.protocol = IPPROTO_IP,	/* wildcard */
		.prot = &raw_prot,
		.ops = &inet_sockraw_ops,
		.flags = INET_PROTOSW_REUSE,
	},
};

#define INETSW_ARRAY_LEN (sizeof(inetsw_array) / sizeof(inetsw_array[0]))

static struct proto *const inet_protos[] = {
	&tcp_prot, &udp_prot, &ping_prot, &raw_prot,
};

#define INET_PROTOS_LEN (sizeof(inet_protos) / sizeof(inet_protos[0]))

static void inet_protos_unregister(size_t n)
{
	while (n--)
		proto_unregister(inet_protos[n]);
}

static int inet_protos_register(void)
{
	size_t i;
	int err;

	for (i = 0; i < INET_PROTOS_LEN; i++) {
		err = proto_register(inet_protos[i], 1);
		if (err) {
			inet_protos_unregister(i);
			return err;
		}
	}
	return 0;
}

/* Built-in entries are PERMANENT or not; either way they go at exit. */
static void inetsw_array_unregister(size_t n)
{
	while (n--)
		protosw_remove(&inetsw, &inetsw_array[n]);
}

static int inetsw_array_register(void)
{
	size_t i;
	int err;

	for (i = 0; i < INETSW_ARRAY_LEN; i++) {
		err = inet_register_protosw(&inetsw_array[i]);
		if (err) {
			inetsw_array_unregister(i);
			return err;
		}
	}
	return 0;
}

int inet_init(void)
{
	int err;

	err = inet_protos_register();
	if (err)
		return err;
	err = inetsw_array_register();
	if (err)
		goto out_protos;
	err = raw_proc_init();
	if (err)
		goto out_inetsw;
	err = sock_register(&inet_family_ops);
	if (err)
		goto out_raw;
	return 0;

out_raw:
	raw_proc_exit();
out_inetsw:
	inetsw_array_unregister(INETSW_ARRAY_LEN);
out_protos:
	inet_protos_unregister(INET_PROTOS_LEN);
	return err;
}

void inet_exit(void)
{
	sock_unregister(PF_INET);
	raw_proc_exit();
	inetsw_array_unregister(INETSW_ARRAY_LEN);
	inet_protos_unregister(INET_PROTOS_LEN);
}
