/* SPDX-License-Identifier: MIT */
/*
 * The raw socket table (the kernel's include/net/raw.h): one per namespace
 * and address family, shared by IPv4 (raw.c) and IPv6 (lib/ipv6/raw.c) as
 * the kernel's raw_hash_sk()/raw_unhash_sk() are. A raw socket is hashed
 * by its protocol when it is created; packet delivery and /proc/net/raw
 * find it there. One RCU hlist per bucket, written under the table's lock.
 *
 * Raw socks come from SLAB_TYPESAFE_BY_RCU caches instead of being
 * SOCK_RCU_FREE as in the kernel (docs/kernel-mapping.md): memory a
 * lockless reader reaches stays a raw sock, but may be a new one. Such a
 * reader must take a reference with refcount_inc_not_zero-style care and
 * recheck the protocol and that the sock is still hashed, and restart
 * when a sock it stepped through has moved to another bucket, as the
 * kernel's TCP and UDP lookups do. The library's own walk (/proc/net/raw)
 * holds the lock.
 */
#ifndef SOCKCORE_IPV4_RAW_H
#define SOCKCORE_IPV4_RAW_H

#include <pthread.h>
#include <sockcore/sock.h>
#include "kernel/rcu.h"

#define RAW_HTABLE_LOG	8
#define RAW_HTABLE_SIZE	(1U << RAW_HTABLE_LOG)	/* MAX_INET_PROTOS */

struct raw_hashinfo {
	pthread_mutex_t lock;		/* writers */
	struct cds_hlist_head ht[RAW_HTABLE_SIZE];
};

/* A zeroed table: set up and tear down its lock. */
int raw_hashinfo_init(struct raw_hashinfo *h);
void raw_hashinfo_destroy(struct raw_hashinfo *h);

/* Hash @sk by its protocol (inet_num), with a reference of the table's
 * own, counting it in use; unhash is idempotent (close and
 * sk_common_release() may both ask). */
int raw_hash_sk(struct raw_hashinfo *h, struct sock *sk);
void raw_unhash_sk(struct raw_hashinfo *h, struct sock *sk);

/* The /proc/net/raw walk: under the table's lock, as the kernel's
 * seq_file does, so a sock seen cannot be unhashed and freed meanwhile. */
int raw_hashinfo_for_each(struct raw_hashinfo *h,
		int (*fn)(const struct sock *sk, void *arg), void *arg);

/* fork(): lock or unlock the table of every namespace, for the tables
 * registered as pernet state @pernet_id (net_mutex is held by then:
 * kernel/fork.h). */
void raw_hashinfo_fork_lock(unsigned int pernet_id);
void raw_hashinfo_fork_unlock(unsigned int pernet_id);

#endif /* SOCKCORE_IPV4_RAW_H */
