/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/raw.c - RAWv6: the raw IPv6 proto and its per-namespace socket
 * table (net/ipv6/raw.c, raw_v6_hashinfo).
 *
 * inet6_create() hashes every raw socket by its protocol (inet_num) when it
 * is created; the table is what /proc/net/raw6 walks. Each namespace has
 * its own table, kept through a pernet_operations block.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>

#include "kernel/fork.h"
#include "core/netns.h"
#include "ipv4/raw.h"
#include "ipv6_internal.h"

#define RAWV6_OBJ_SIZE		1344

/* The kernel's raw6_sock: the raw-specific part, before the ipv6_pinfo. */
struct raw6_sock {
	struct inet_sock inet;
	uint32_t checksum;	/* the stack computes the checksum */
	uint32_t offset;	/* where it goes */
	uint32_t filter[8];	/* ICMPv6 type filter */
};

_Static_assert(sizeof(struct raw6_sock) <= IPV6_PINFO_OFFSET(RAWV6_OBJ_SIZE),
	       "raw6 object too small");

static struct raw6_sock *raw6_sk(const struct sock *sk)
{
	return (struct raw6_sock *)sk;
}

/* IPv6's raw table: the shared struct raw_hashinfo (lib/ipv4/raw.h), one
 * per namespace, as the kernel's raw_v6_hashinfo. */
static int raw6_net_init(struct net *net);
static void raw6_net_exit(struct net *net);

static struct pernet_operations raw6_net_ops = {
	.init = raw6_net_init,
	.exit = raw6_net_exit,
	.size = sizeof(struct raw_hashinfo),
};

static struct raw_hashinfo *raw6_hashinfo(const struct net *net)
{
	return net_generic(net, raw6_net_ops.id);
}

static int raw6_net_init(struct net *net)
{
	return raw_hashinfo_init(raw6_hashinfo(net));
}

static void raw6_net_exit(struct net *net)
{
	raw_hashinfo_destroy(raw6_hashinfo(net));
}

static bool raw6_registered;

static void raw6_fork_lock(void)
{
	if (raw6_registered)
		raw_hashinfo_fork_lock(raw6_net_ops.id);
}

static void raw6_fork_unlock(void)
{
	if (raw6_registered)
		raw_hashinfo_fork_unlock(raw6_net_ops.id);
}

FORK_HOOK(raw6_fork_hook, FORK_RANK_SOCKTABLE, raw6_fork_lock, raw6_fork_unlock,
	  raw6_fork_unlock)

static int raw6_hash(struct sock *sk)
{
	return raw_hash_sk(raw6_hashinfo(sock_net(sk)), sk);
}

static void raw6_unhash(struct sock *sk)
{
	raw_unhash_sk(raw6_hashinfo(sock_net(sk)), sk);
}

/* rawv6_init_sk(): ICMPv6 and Mobility Header sockets get their checksum
 * computed by the stack, at the offset of the protocol's checksum field. */
static int rawv6_init_sk(struct sock *sk)
{
	struct raw6_sock *rp = raw6_sk(sk);

	switch (inet_sk(sk)->inet_num) {
	case IPPROTO_ICMPV6:
		rp->checksum = 1;
		rp->offset = 2;
		break;
	case IPPROTO_MH:
		rp->checksum = 1;
		rp->offset = 4;
		break;
	}
	return 0;
}

static void rawv6_close(struct sock *sk, long timeout)
{
	raw6_unhash(sk);
	sk_common_release(sk);
}

struct proto rawv6_prot = {
	.name = "RAWv6",
	.owner = THIS_MODULE,
	.obj_size = RAWV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(RAWV6_OBJ_SIZE),
	.slab_flags = SLAB_TYPESAFE_BY_RCU,	/* as raw_prot: lib/ipv4/raw.c */
	.init = rawv6_init_sk,
	.close = rawv6_close,
	.hash = raw6_hash,
	.unhash = raw6_unhash,
};

int raw6_for_each(struct net *net, int (*fn)(const struct sock *sk, void *arg),
		void *arg)
{
	return raw_hashinfo_for_each(raw6_hashinfo(net), fn, arg);
}

int raw6_init(void)
{
	int err = register_pernet_subsys(&raw6_net_ops);

	raw6_registered = err == 0;
	return err;
}

void raw6_exit(void)
{
	raw6_registered = false;
	unregister_pernet_subsys(&raw6_net_ops);
}
