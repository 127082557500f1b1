/* SPDX-License-Identifier: MIT */
/*
 * /proc/net/raw6: the namespace's IPv6 raw socket table, in the layout of
 * the kernel's ip6_dgram_sock_seq_show (net/ipv6/datagram.c).
 */
#include <sockcore/ipv6.h>
#include <sockcore/proc.h>
#include "core/proc_internal.h"

/* The "sl" column is the hash bucket: raw sockets are keyed by protocol
 * over 256 buckets, as in IPv4. */
#define RAW6_SEQ_BUCKETS	256u

/*
 * struct sock_common carries no IPv6 addresses (nothing on the creation
 * path binds or connects), so both addresses are the unspecified one.
 */
static int raw6_sock_seq_show(const struct sock *sk, void *arg)
{
	const struct inet_sock *inet = inet_sk(sk);

	fprintf(arg, "%5u: %08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X",
		inet->inet_num & (RAW6_SEQ_BUCKETS - 1), 0u, 0u, 0u, 0u,
		inet->inet_num, 0u, 0u, 0u, 0u, 0u);
	proc_dgram_sock_tail(arg, sk);
	return 0;
}

int sockcore_proc_raw6(struct net *net, FILE *f)
{
	net = proc_net(net);
	fprintf(f, "  sl  local_address                         "
		"remote_address                        st tx_queue rx_queue tr "
		"tm->when retrnsmt   uid  timeout inode ref pointer drops\n");
	raw6_for_each(net, raw6_sock_seq_show, f);
	return proc_done(f);
}
