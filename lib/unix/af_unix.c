/* SPDX-License-Identifier: MIT */
/*
 * lib/unix/af_unix.c - the AF_UNIX family (net/unix/af_unix.c): creation,
 * socketpair() and release.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sockcore/fdtable.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/task.h>
#include <sockcore/un.h>

#include "core/builtin.h"
#include "kernel/percpu_counter.h"

#define UNIX_OBJ_SIZE	1152
#define SHUTDOWN_MASK	3	/* RCV_SHUTDOWN | SEND_SHUTDOWN */

_Static_assert(sizeof(struct unix_sock) <= UNIX_OBJ_SIZE,
	       "struct unix_sock larger than the kernel's object");

/* Sockets allocated, across namespaces: bounded by 2 * fs.file-max, since
 * in-flight descriptors can keep sockets alive without files. Sharded per
 * thread (the kernel's is an atomic_long): no shared line bounces between
 * threads creating unix sockets side by side. */
static struct percpu_counter unix_nr_socks;

long unix_nr_socks_get(void)
{
	return percpu_counter_sum(&unix_nr_socks);
}

struct proto unix_dgram_proto = {
	.name = "UNIX",
	.owner = THIS_MODULE,
	.obj_size = UNIX_OBJ_SIZE,
};

struct proto unix_stream_proto = {
	.name = "UNIX-STREAM",
	.owner = THIS_MODULE,
	.obj_size = UNIX_OBJ_SIZE,
};

static void unix_state_lock(struct sock *sk)
{
	pthread_spin_lock(&unix_sk(sk)->lock);
}

static void unix_state_unlock(struct sock *sk)
{
	pthread_spin_unlock(&unix_sk(sk)->lock);
}

static void unix_sock_destructor(struct sock *sk)
{
	pthread_spin_destroy(&unix_sk(sk)->lock);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	percpu_counter_add(&unix_nr_socks, -1);
}

/* Tell a connected stream/seqpacket peer that no more data will come. */
static void unix_shutdown_peer(struct sock *sk, struct sock *skpair)
{
	if (sk->sk_type != SOCK_STREAM && sk->sk_type != SOCK_SEQPACKET)
		return;
	unix_state_lock(skpair);
	__atomic_store_n(&skpair->sk_shutdown, SHUTDOWN_MASK, __ATOMIC_RELAXED);
	unix_state_unlock(skpair);
}

static void unix_release_sock(struct sock *sk)
{
	struct sock *skpair;

	unix_state_lock(sk);
	/* sock_orphan(): the socket half is going away. */
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	__atomic_store_n(&sk->sk_shutdown, SHUTDOWN_MASK, __ATOMIC_RELAXED);
	sk->sk_state = TCP_CLOSE;
	skpair = unix_sk(sk)->peer;
	__atomic_store_n(&unix_sk(sk)->peer, NULL, __ATOMIC_RELEASE);
	unix_state_unlock(sk);

	if (skpair) {
		unix_shutdown_peer(sk, skpair);
		sock_put(skpair);	/* it may now die */
	}
	sock_put(sk);
}

static int unix_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	unix_release_sock(sk);
	sock->sk = NULL;
	return 0;
}

/* The credentials each end reports for its peer (SO_PEERCRED). */
static void unix_init_peercred(struct unix_peercred *pc)
{
	struct cred cred;

	sockcore_cred_get(&cred);
	pc->pid = getpid();
	pc->uid = cred.euid;
	pc->gid = cred.egid;
}

/* Join two fresh sockets back to back; each holds its peer. */
static int unix_socketpair(struct socket *socka, struct socket *sockb)
{
	struct sock *ska = socka->sk, *skb = sockb->sk;

	sock_hold(ska);
	sock_hold(skb);
	unix_init_peercred(&unix_sk(ska)->peercred);
	unix_init_peercred(&unix_sk(skb)->peercred);
	__atomic_store_n(&unix_sk(ska)->peer, skb, __ATOMIC_RELEASE);
	__atomic_store_n(&unix_sk(skb)->peer, ska, __ATOMIC_RELEASE);
	ska->sk_state = TCP_ESTABLISHED;
	skb->sk_state = TCP_ESTABLISHED;
	socka->state = SS_CONNECTED;
	sockb->state = SS_CONNECTED;
	return 0;
}

#define UNIX_OPS(name)					\
	static const struct proto_ops name = {		\
		.family = PF_UNIX,			\
		.owner = THIS_MODULE,			\
		.release = unix_release,		\
		.socketpair = unix_socketpair,		\
	}

UNIX_OPS(unix_stream_ops);
UNIX_OPS(unix_dgram_ops);
UNIX_OPS(unix_seqpacket_ops);

static struct sock *unix_create1(struct net *net, struct socket *sock,
		int kern, int type, int *err)
{
	unsigned long limit = 2 * sockcore_get_file_max();
	struct proto *prot;
	struct sock *sk;

	*err = -ENFILE;
	percpu_counter_add(&unix_nr_socks, 1);
	if (percpu_counter_compare(&unix_nr_socks, (long)limit) > 0)
		goto err;

	*err = -ENOMEM;
	prot = type == SOCK_STREAM ? &unix_stream_proto : &unix_dgram_proto;
	sk = sk_alloc(net, PF_UNIX, GFP_KERNEL, prot, kern);
	if (!sk)
		goto err;

	sock_init_data(sock, sk);
	sk->sk_max_ack_backlog = __atomic_load_n(
		&net->sysctl.unix_max_dgram_qlen, __ATOMIC_RELAXED);
	pthread_spin_init(&unix_sk(sk)->lock, PTHREAD_PROCESS_PRIVATE);
	sk->sk_destruct = unix_sock_destructor;
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	return sk;

err:
	percpu_counter_add(&unix_nr_socks, -1);
	return NULL;
}

static int unix_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	int err;

	if (protocol && protocol != PF_UNIX)
		return -EPROTONOSUPPORT;

	sock->state = SS_UNCONNECTED;
	switch (sock->type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:
		/* BSD compatibility: a raw local socket is a datagram one. */
		sock->type = SOCK_DGRAM;
		/* fall through */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}

	if (!unix_create1(net, sock, kern, sock->type, &err))
		return err;
	return 0;
}

static const struct net_proto_family unix_family_ops = {
	.family = PF_UNIX,
	.create = unix_create,
	.owner = THIS_MODULE,
};

int af_unix_init(void)
{
	int err;

	err = proto_register(&unix_dgram_proto, 1);
	if (err)
		return err;
	err = proto_register(&unix_stream_proto, 1);
	if (err)
		goto out_dgram;
	err = sock_register(&unix_family_ops);
	if (err)
		goto out_stream;
	return 0;

out_stream:
	proto_unregister(&unix_stream_proto);
out_dgram:
	proto_unregister(&unix_dgram_proto);
	return err;
}

void af_unix_exit(void)
{
	sock_unregister(PF_UNIX);
	proto_unregister(&unix_stream_proto);
	proto_unregister(&unix_dgram_proto);
}
