/* SPDX-License-Identifier: MIT */
/*
 * Per-namespace state of subsystems (the kernel's pernet_operations and
 * net_generic): a family that needs state in every namespace (the raw
 * socket table, counters) registers a pernet_operations with a size; each
 * namespace, existing or created later, gets a zeroed block of that size,
 * reached with net_generic(net, ops->id), and init()/exit() run on it.
 */
#ifndef SOCKCORE_CORE_NETNS_H
#define SOCKCORE_CORE_NETNS_H

#include <sockcore/net_namespace.h>
#include "kernel/percpu_counter.h"

#define PROTO_INUSE_NR	64	/* in-use counter slots (protos) */
#define MAX_PERNET_IDS	16

struct pernet_operations {
	int (*init)(struct net *net);	/* may fail: -ENOMEM, ... */
	void (*exit)(struct net *net);
	unsigned int size;		/* bytes of net_generic() state */
	unsigned int id;		/* set by register_pernet_subsys() */
	struct pernet_operations *next;
};

struct net_private {
	struct percpu_array prot_inuse;	/* [PROTO_INUSE_NR] */
	struct percpu_counter sock_inuse;
	void *gen[MAX_PERNET_IDS];
};

/* Register: runs init on every existing namespace. 0 or -ENOMEM/-ENOSPC. */
int register_pernet_subsys(struct pernet_operations *ops);
void unregister_pernet_subsys(struct pernet_operations *ops);

static inline void *net_generic(const struct net *net, unsigned int id)
{
	return net->priv->gen[id];
}

/* Call @fn for init_net and every other namespace. Only for callers that
 * hold net_mutex already: the fork hooks, whose rank order takes it first
 * (kernel/fork.h). */
void for_each_net_locked(void (*fn)(struct net *net, void *arg), void *arg);

/* Account a socket in @net (sockets: used). */
static inline void sock_inuse_add(struct net *net, int val)
{
	percpu_counter_add(&net->priv->sock_inuse, val);
}

/* Library init/shutdown: init_net's private state and sysctl defaults. */
int net_ns_init(void);
void net_ns_shutdown(void);

#endif /* SOCKCORE_CORE_NETNS_H */
