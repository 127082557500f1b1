/* SPDX-License-Identifier: MIT */
/*
 * A protocol switch: per socket type, an RCU list of struct inet_protosw
 * (inetsw[] for AF_INET, inetsw6[] for AF_INET6; the kernel keeps two
 * copies of this code in af_inet.c and af_inet6.c, we keep one).
 * Written under the table's mutex, read under rcu_read_lock().
 */
#ifndef SOCKCORE_IPV4_PROTOSW_H
#define SOCKCORE_IPV4_PROTOSW_H

#include <pthread.h>
#include <sockcore/inet.h>
#include "kernel/rcu.h"

struct protosw_table {
	struct cds_list_head type[SOCK_MAX];
	pthread_mutex_t lock;
};

_Static_assert(SOCK_MAX == 11, "PROTOSW_TABLE_INIT covers SOCK_MAX lists");
#define __PROTOSW_HEAD(t, n) [n] = CDS_LIST_HEAD_INIT((t).type[n])
#define PROTOSW_TABLE_INIT(t) {						\
	.type = {							\
		__PROTOSW_HEAD(t, 0), __PROTOSW_HEAD(t, 1),		\
		__PROTOSW_HEAD(t, 2), __PROTOSW_HEAD(t, 3),		\
		__PROTOSW_HEAD(t, 4), __PROTOSW_HEAD(t, 5),		\
		__PROTOSW_HEAD(t, 6), __PROTOSW_HEAD(t, 7),		\
		__PROTOSW_HEAD(t, 8), __PROTOSW_HEAD(t, 9),		\
		__PROTOSW_HEAD(t, 10),					\
	},								\
	.lock = PTHREAD_MUTEX_INITIALIZER,				\
}

/* Add @p after the last PERMANENT entry of its type: 0, -EINVAL (type out
 * of range), or -EPERM (a PERMANENT entry answers the same protocol). */
int protosw_register(struct protosw_table *t, struct inet_protosw *p);
/* Remove @p and wait for a grace period: 0, or -EPERM for PERMANENT. */
int protosw_unregister(struct protosw_table *t, struct inet_protosw *p);
/* The same without the PERMANENT check (the family's own exit). */
void protosw_remove(struct protosw_table *t, struct inet_protosw *p);

/*
 * The lookup of inet_create()/inet6_create(), under rcu_read_lock(): an
 * exact match wins unless it is IPPROTO_IP; a request for IPPROTO_IP
 * takes the type's first entry (its default) and that protocol; an
 * IPPROTO_IP entry matches any request. 0 with *answer and *protocol
 * resolved, -ESOCKTNOSUPPORT (no entry of the type) or -EPROTONOSUPPORT.
 * Traced as the protocol-switch step of the creation path.
 */
int protosw_lookup(struct protosw_table *t, int type, int *protocol,
		struct inet_protosw **answer);

/* What create() keeps of the entry once it leaves the read section. */
struct protosw_answer {
	struct proto *prot;
	unsigned char flags;
};

/*
 * Steps 3 to 6 of inet_create() and inet6_create(): the lookup, with up
 * to two request_module() calls in between (net-pf-F-proto-P-type-T, then
 * net-pf-F-proto-P), the raw-socket permission check after it, and the
 * ops. Returns 0 with sock->ops set, *protocol resolved and @ans filled,
 * holding a reference on ans->prot->owner that the caller hands to the
 * sock with sk_alloc_owner_held(), or drops if that fails (the entry, and
 * with a module its proto and cache, may go as soon as the read section
 * ends); or -ESOCKTNOSUPPORT,
 * -EPROTONOSUPPORT (also for a module going away), -EPERM.
 */
int protosw_find(struct protosw_table *t, int family, struct net *net,
		struct socket *sock, int *protocol, int kern,
		struct protosw_answer *ans);

/* Walk the entries in list order (under the table's mutex). */
int protosw_for_each(struct protosw_table *t,
		int (*fn)(const struct inet_protosw *p, void *arg), void *arg);

#endif /* SOCKCORE_IPV4_PROTOSW_H */
