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

#include "kernel/rcu.h"
#include "core/netns.h"
#include "ipv6_internal.h"

#define RAWV6_OBJ_SIZE		1344
#define RAW6_HTABLE_SIZE	256	/* MAX_INET_PROTOS */

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

struct raw6_table {
	pthread_mutex_t lock;
	struct cds_hlist_head ht[RAW6_HTABLE_SIZE];
};

static int raw6_net_init(struct net *net);
static void raw6_net_exit(struct net *net);

static struct pernet_operations raw6_net_ops = {
	.init = raw6_net_init,
	.exit = raw6_net_exit,
	.size = sizeof(struct raw6_table),
};

static struct raw6_table *raw6_table(struct net *net)
{
	return net_generic(net, raw6_net_ops.id);
}

static int raw6_net_init(struct net *net)
{
	return -pthread_mutex_init(&raw6_table(net)->lock, NULL);
}

static void raw6_net_exit(struct net *net)
{
	pthread_mutex_destroy(&raw6_table(net)->lock);
}

static struct cds_hlist_head *raw6_bucket(struct raw6_table *t,
		const struct sock *sk)
{
	return &t->ht[inet_sk(sk)->inet_num & (RAW6_HTABLE_SIZE - 1)];
}

static int raw6_hash(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct raw6_table *t = raw6_table(net);

	/* As for IPv4 raw socks: lockless readers may still hold the sock
	 * after it leaves the table, so it is freed after a grace period;
	 * the table holds a reference of its own. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	sock_hold(sk);
	pthread_mutex_lock(&t->lock);
	cds_hlist_add_head_rcu(&sk->sk_node, raw6_bucket(t, sk));
	pthread_mutex_unlock(&t->lock);
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	return 0;
}

/* Idempotent: rawv6_close() and sk_common_release() both ask. */
static void raw6_unhash(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct raw6_table *t = raw6_table(net);
	bool hashed;

	pthread_mutex_lock(&t->lock);
	/* A hashed node has a back-link; clearing it marks it unhashed
	 * (readers follow only ->next, which stays valid for them). */
	hashed = sk->sk_node.prev != NULL;
	if (hashed) {
		cds_hlist_del_rcu(&sk->sk_node);
		sk->sk_node.prev = NULL;
	}
	pthread_mutex_unlock(&t->lock);
	if (!hashed)
		return;
	sock_prot_inuse_add(net, sk->sk_prot, -1);
	sock_put(sk);
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
	.init = rawv6_init_sk,
	.close = rawv6_close,
	.hash = raw6_hash,
	.unhash = raw6_unhash,
};

int raw6_for_each(struct net *net, int (*fn)(const struct sock *sk, void *arg),
		void *arg)
{
	struct raw6_table *t = raw6_table(net);
	struct cds_hlist_node *pos;
	struct sock *sk;
	int i, ret = 0;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < RAW6_HTABLE_SIZE && !ret; i++) {
		cds_hlist_for_each(pos, &t->ht[i]) {
			sk = cds_hlist_entry(pos, struct sock, sk_node);
			ret = fn(sk, arg);
			if (ret)
				break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}

int raw6_init(void)
{
	return register_pernet_subsys(&raw6_net_ops);
}

void raw6_exit(void)
{
	unregister_pernet_subsys(&raw6_net_ops);
}
