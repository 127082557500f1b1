/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/tcp.c - tcp_prot: what a TCP socket is when socket(2) returns
 * (net/ipv4/tcp.c, tcp_ipv4.c). No connection machinery: a new TCP socket
 * is closed, unhashed and holds the kernel's initial congestion and timer
 * state.
 */
#include <sockcore/inet.h>
#include <sockcore/module.h>
#include "protocol.h"

/* The namespace's tcp_wmem/tcp_rmem defaults, read once (a sysctl). */
static int tcp_sysctl_default(const int *vec)
{
	return __atomic_load_n(&vec[1], __ATOMIC_RELAXED);
}

static int tcp_v4_init_sock(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	struct net *net = sock_net(sk);

	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	icsk->icsk_rto_min = TCP_RTO_MIN;
	tp->mdev_us = TCP_TIMEOUT_INIT * 1000U;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_cwnd_clamp = ~0U;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->reordering = TCP_REORDERING;
	/* No packet sent yet: not application-limited in any round. */
	tp->app_limited = ~0U;

	sk->sk_state = TCP_CLOSE;
	sk->sk_sndbuf = tcp_sysctl_default(net->sysctl.tcp_wmem);
	sk->sk_rcvbuf = tcp_sysctl_default(net->sysctl.tcp_rmem);

	inet_inuse_add(sk, 1);
	return 0;
}

struct proto tcp_prot = {
	.name = "TCP",
	.owner = THIS_MODULE,
	.obj_size = TCP_OBJ_SIZE,
	/* Established-hash lookups run under RCU against freed socks. */
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = tcp_v4_init_sock,
	.close = inet_close_counted,
	.unhash = inet_unhash_none,
};
