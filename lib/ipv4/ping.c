/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/ping.c - ping_prot: unprivileged ICMP echo sockets
 * (net/ipv4/ping.c), allowed only to the groups in the namespace's
 * net.ipv4.ping_group_range.
 */
#include <errno.h>
#include <sockcore/inet.h>
#include <sockcore/module.h>
#include <sockcore/task.h>
#include "protocol.h"

static int ping_init_sock(struct sock *sk)
{
	const gid_t *range = sock_net(sk)->sysctl.ping_group_range;
	gid_t low, high;

	/* A sysctl: each bound read once. The default "1 0" admits nobody. */
	low = __atomic_load_n(&range[0], __ATOMIC_RELAXED);
	high = __atomic_load_n(&range[1], __ATOMIC_RELAXED);
	if (!in_group_range(low, high))
		return -EACCES;

	inet_inuse_add(sk, 1);
	return 0;
}

struct proto ping_prot = {
	.name = "PING",
	.owner = THIS_MODULE,
	/* The kernel's ping socks are bare inet_socks. */
	.obj_size = PING_OBJ_SIZE,
	.init = ping_init_sock,
	.close = inet_close_counted,
	.unhash = inet_unhash_none,
};
