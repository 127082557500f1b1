/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/raw.c - raw_prot (net/ipv4/raw.c). A raw socket gets its
 * protocol as its number at creation and is hashed at once into its
 * namespace's raw table, where packet delivery (and /proc/net/raw) find
 * it: one RCU hlist per bucket, keyed by protocol, written under a lock
 * (raw.h says what a lockless reader must do).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sockcore/inet.h>
#include <sockcore/module.h>
#include "kernel/rcu.h"
#include "core/netns.h"
#include "protocol.h"

#include "kernel/fork.h"
#include "raw.h"

/* ---- the table, shared with IPv6 ------------------------------------- */

int raw_hashinfo_init(struct raw_hashinfo *h)
{
	return -pthread_mutex_init(&h->lock, NULL);
}

void raw_hashinfo_destroy(struct raw_hashinfo *h)
{
	pthread_mutex_destroy(&h->lock);
}

static struct cds_hlist_head *raw_bucket(struct raw_hashinfo *h,
					 const struct sock *sk)
{
	return &h->ht[inet_sk(sk)->inet_num & (RAW_HTABLE_SIZE - 1)];
}

/* A hashed sock has a back-link; raw_unhash_sk() clears it. */
static bool raw_hashed(const struct sock *sk)
{
	return sk->sk_node.prev != NULL;
}

int raw_hash_sk(struct raw_hashinfo *h, struct sock *sk)
{
	/* The table holds a reference of its own. */
	sock_hold(sk);
	pthread_mutex_lock(&h->lock);
	cds_hlist_add_head_rcu(&sk->sk_node, raw_bucket(h, sk));
	pthread_mutex_unlock(&h->lock);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

void raw_unhash_sk(struct raw_hashinfo *h, struct sock *sk)
{
	bool was_hashed;

	pthread_mutex_lock(&h->lock);
	was_hashed = raw_hashed(sk);
	if (was_hashed) {
		cds_hlist_del_rcu(&sk->sk_node);
		/* Readers follow only ->next, which stays valid for them. */
		sk->sk_node.prev = NULL;
	}
	pthread_mutex_unlock(&h->lock);
	if (!was_hashed)
		return;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sock_put(sk);
}

int raw_hashinfo_for_each(struct raw_hashinfo *h,
		int (*fn)(const struct sock *sk, void *arg), void *arg)
{
	struct sock *sk;
	unsigned int i;
	int ret = 0;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < RAW_HTABLE_SIZE && !ret; i++) {
		cds_hlist_for_each_entry_2(sk, &h->ht[i], sk_node) {
			ret = fn(sk, arg);
			if (ret)
				break;
		}
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

static void raw_fork_lock_net(struct net *net, void *arg)
{
	pthread_mutex_lock(&((struct raw_hashinfo *)
			     net_generic(net, *(unsigned int *)arg))->lock);
}

static void raw_fork_unlock_net(struct net *net, void *arg)
{
	pthread_mutex_unlock(&((struct raw_hashinfo *)
			       net_generic(net, *(unsigned int *)arg))->lock);
}


void raw_hashinfo_fork_lock(unsigned int pernet_id)
{
	for_each_net_locked(raw_fork_lock_net, &pernet_id);
}

void raw_hashinfo_fork_unlock(unsigned int pernet_id)
{
	for_each_net_locked(raw_fork_unlock_net, &pernet_id);
}


/* ---- IPv4's table --------------------------------------------------------- */

static int raw_net_init(struct net *net);
static void raw_net_exit(struct net *net);

static struct pernet_operations raw_net_ops = {
	.init = raw_net_init,
	.exit = raw_net_exit,
	.size = sizeof(struct raw_hashinfo),
};

static struct raw_hashinfo *raw_hashinfo(const struct net *net)
{
	return net_generic(net, raw_net_ops.id);
}

/* The block comes zeroed: empty buckets; only the lock needs setting up. */
static int raw_net_init(struct net *net)
{
	return raw_hashinfo_init(raw_hashinfo(net));
}

static void raw_net_exit(struct net *net)
{
	raw_hashinfo_destroy(raw_hashinfo(net));
}

/* The tables exist only while raw_net_ops is registered: the fork hook
 * checks, since it is installed for the life of the process. */
static bool raw_registered;

static void raw_fork_lock(void)
{
	if (raw_registered)
		raw_hashinfo_fork_lock(raw_net_ops.id);
}

static void raw_fork_unlock(void)
{
	if (raw_registered)
		raw_hashinfo_fork_unlock(raw_net_ops.id);
}

FORK_HOOK(raw_fork_hook, FORK_RANK_SOCKTABLE, raw_fork_lock, raw_fork_unlock,
	  raw_fork_unlock)

int raw_proc_init(void)
{
	int err = register_pernet_subsys(&raw_net_ops);

	raw_registered = err == 0;
	return err;
}

void raw_proc_exit(void)
{
	raw_registered = false;
	unregister_pernet_subsys(&raw_net_ops);
}

static int raw_hash(struct sock *sk)
{
	return raw_hash_sk(raw_hashinfo(sock_net(sk)), sk);
}

static void raw_unhash(struct sock *sk)
{
	raw_unhash_sk(raw_hashinfo(sock_net(sk)), sk);
}

int raw_for_each(struct net *net, int (*fn)(const struct sock *sk, void *arg),
		 void *arg)
{
	return raw_hashinfo_for_each(raw_hashinfo(net), fn, arg);
}

static int raw_sk_init(struct sock *sk)
{
	struct raw_sock *rp = (struct raw_sock *)sk;

	/* ICMP sockets start with an empty type filter: all types pass. */
	if (inet_sk(sk)->inet_num == IPPROTO_ICMP)
		memset(&rp->filter, 0, sizeof(rp->filter));
	return 0;
}

static void raw_close(struct sock *sk, long timeout)
{
	raw_unhash(sk);
	sk_common_release(sk);
}

struct proto raw_prot = {
	.name = "RAW",
	.owner = THIS_MODULE,
	.obj_size = RAW_OBJ_SIZE,
	/*
	 * The kernel marks hashed raw socks SOCK_RCU_FREE. Here the memory
	 * is type-stable instead: a sock freed through call_rcu() comes
	 * back cold, ~10 ms later in liburcu's batches, which made raw
	 * create+close 4x slower than UDP's and kept ~100 MB in flight in a
	 * tight loop (docs/kernel-mapping.md).
	 */
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = raw_sk_init,
	.close = raw_close,
	.hash = raw_hash,
	.unhash = raw_unhash,
};
