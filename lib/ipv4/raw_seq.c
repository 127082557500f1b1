/* SPDX-License-Identifier: MIT */
/*
 * /proc/net/raw: the namespace's raw socket table, in the layout of the
 * kernel's raw_seq_show (net/ipv4/raw.c).
 */
#include <inttypes.h>
#include <stdint.h>
#include <sockcore/inet.h>
#include <sockcore/proc.h>
#include "core/proc_internal.h"

/* The "sl" column is the hash bucket, which raw.c keys by protocol over
 * 256 buckets (RAW_HTABLE_LOG 8, as in the kernel). */
#define RAW_SEQ_BUCKETS	256u

void proc_dgram_sock_tail(FILE *f, const struct sock *sk)
{
	int wmem = __atomic_load_n(&sk->sk_wmem_alloc, __ATOMIC_RELAXED);
	int rmem = __atomic_load_n(&sk->sk_rmem_alloc, __ATOMIC_RELAXED);

	/* tx_queue is sk_wmem_alloc less the sock's own unit (the kernel's
	 * sk_wmem_alloc_get); no timers, no inode; the pointer is the
	 * sock's address (%pK with kptr_restrict 0 shows a hashed one). */
	fprintf(f, " %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016" PRIxPTR " %u\n",
		sk->sk_state, (unsigned int)(wmem - 1), (unsigned int)rmem,
		0, 0UL, 0u, (unsigned int)sk->sk_uid, 0, 0UL,
		__atomic_load_n(&sk->sk_refcnt, __ATOMIC_RELAXED),
		(uintptr_t)sk, (unsigned int)sk->sk_drops);
}

static int raw_sock_seq_show(const struct sock *sk, void *arg)
{
	const struct inet_sock *inet = inet_sk(sk);

	/* Addresses print as the raw network-order words, as the kernel's
	 * %08X of a __be32 does; a raw socket's remote port is 0. */
	fprintf(arg, "%4u: %08X:%04X %08X:%04X", inet->inet_num & (RAW_SEQ_BUCKETS - 1),
		inet->inet_rcv_saddr, inet->inet_num, inet->inet_daddr, 0u);
	proc_dgram_sock_tail(arg, sk);
	return 0;
}

int sockcore_proc_raw(struct net *net, FILE *f)
{
	net = proc_net(net);
	fprintf(f, "  sl  local_address rem_address   st tx_queue rx_queue tr "
		"tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
	raw_for_each(net, raw_sock_seq_show, f);
	return proc_done(f);
}
