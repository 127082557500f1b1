/* SPDX-License-Identifier: MIT */
/*
 * Network namespaces (net/core/net_namespace.c).
 *
 * init_net is a static object whose private part is set up at library
 * init. Every namespace has the per-protocol in-use counters (sharded per
 * thread, like the kernel's per-CPU prot_inuse) and one block of state per
 * registered pernet subsystem.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sockcore/net_namespace.h>
#include <sockcore/sock.h>
#include <sockcore/task.h>
#include <sockcore/slab.h>
#include "kernel/fork.h"
#include "core/netns.h"

struct net init_net = {
	.refcnt = 1,
	.id = 0,
	.user_ns = &init_user_ns,
};

static pthread_mutex_t net_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct pernet_operations *pernet_list;	/* registration order */
static unsigned int pernet_ids;			/* ids handed out */
static unsigned int next_net_id = 1;
static struct netns_sysctl default_sysctl;
/* Per-namespace private state: its counters are laid out on cache lines of
 * their own, so it comes from a cache-aligned cache (the kernel's net_cachep). */
static struct kmem_cache *net_cachep;

/* Namespaces other than init_net, for pernet registration. */
struct net_node {
	struct net *net;
	struct net_node *next;
};
static struct net_node *net_list;

/* ---- fork ------------------------------------------------------------------ */

FORK_HOOK_MUTEX(net_fork, FORK_RANK_NET, &net_mutex)

void for_each_net_locked(void (*fn)(struct net *net, void *arg), void *arg)
{
	if (init_net.priv)
		fn(&init_net, arg);
	for (struct net_node *n = net_list; n; n = n->next)
		fn(n->net, arg);
}

/* ---- sysctl defaults: the machine's values where it has them ----------- */

static void read_sysctl(const char *path, int *v, int n)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	for (int i = 0; i < n; i++)
		if (fscanf(f, "%d", &v[i]) != 1)
			break;
	fclose(f);
}

static void sysctl_defaults(struct netns_sysctl *s)
{
	/* the kernel's compiled-in defaults */
	*s = (struct netns_sysctl){
		.rmem_default = 212992, .wmem_default = 212992,
		.rmem_max = 212992, .wmem_max = 212992,
		.tcp_rmem = { 4096, 131072, 6291456 },
		.tcp_wmem = { 4096, 16384, 4194304 },
		.ping_group_range = { 1, 0 },
		.mptcp_enabled = 1,
		.unix_max_dgram_qlen = 10,
	};
	read_sysctl("/proc/sys/net/core/rmem_default", &s->rmem_default, 1);
	read_sysctl("/proc/sys/net/core/wmem_default", &s->wmem_default, 1);
	read_sysctl("/proc/sys/net/core/rmem_max", &s->rmem_max, 1);
	read_sysctl("/proc/sys/net/core/wmem_max", &s->wmem_max, 1);
	read_sysctl("/proc/sys/net/ipv4/tcp_rmem", s->tcp_rmem, 3);
	read_sysctl("/proc/sys/net/ipv4/tcp_wmem", s->tcp_wmem, 3);
}

/* ---- pernet state --------------------------------------------------------- */

static int ops_init(struct pernet_operations *ops, struct net *net)
{
	int err;

	if (ops->size) {
		net->priv->gen[ops->id] = kzalloc(ops->size, GFP_KERNEL);
		if (!net->priv->gen[ops->id])
			return -ENOMEM;
	}
	err = ops->init ? ops->init(net) : 0;
	if (err) {
		kfree(net->priv->gen[ops->id]);
		net->priv->gen[ops->id] = NULL;
	}
	return err;
}

static void ops_exit(struct pernet_operations *ops, struct net *net)
{
	if (ops->exit)
		ops->exit(net);
	kfree(net->priv->gen[ops->id]);
	net->priv->gen[ops->id] = NULL;
}

/* Run exit for @net on every subsystem registered before @stop. */
static void ops_exit_until(struct net *net, struct pernet_operations *stop)
{
	struct pernet_operations *stack[MAX_PERNET_IDS];
	int n = 0;

	for (struct pernet_operations *o = pernet_list; o != stop; o = o->next)
		stack[n++] = o;
	while (n--)
		ops_exit(stack[n], net);	/* reverse order */
}

static int setup_net_locked(struct net *net)
{
	struct pernet_operations *ops;
	int err;

	for (ops = pernet_list; ops; ops = ops->next) {
		err = ops_init(ops, net);
		if (err)
			goto out_undo;
	}
	return 0;
out_undo:
	ops_exit_until(net, ops);
	return err;
}

int register_pernet_subsys(struct pernet_operations *ops)
{
	struct pernet_operations **pp;
	struct net_node *n;
	int err = 0;

	pthread_mutex_lock(&net_mutex);
	if (pernet_ids >= MAX_PERNET_IDS) {
		err = -ENOSPC;
		goto out;
	}
	ops->id = pernet_ids;
	err = ops_init(ops, &init_net);
	for (n = net_list; n && !err; n = n->next) {
		err = ops_init(ops, n->net);
		if (err) {
			for (struct net_node *u = net_list; u != n; u = u->next)
				ops_exit(ops, u->net);
			ops_exit(ops, &init_net);
		}
	}
	if (err)
		goto out;
	pernet_ids++;
	ops->next = NULL;
	for (pp = &pernet_list; *pp; pp = &(*pp)->next)
		;
	*pp = ops;
out:
	pthread_mutex_unlock(&net_mutex);
	return err;
}

void unregister_pernet_subsys(struct pernet_operations *ops)
{
	pthread_mutex_lock(&net_mutex);
	for (struct pernet_operations **pp = &pernet_list; *pp; pp = &(*pp)->next) {
		if (*pp == ops) {
			*pp = ops->next;
			break;
		}
	}
	for (struct net_node *n = net_list; n; n = n->next)
		ops_exit(ops, n->net);
	ops_exit(ops, &init_net);
	/* ids are reused only when the last registration goes (shutdown) */
	if (!pernet_list)
		pernet_ids = 0;
	pthread_mutex_unlock(&net_mutex);
}

/* ---- namespaces ------------------------------------------------------------ */

static int net_priv_alloc(struct net *net)
{
	net->priv = kmem_cache_zalloc(net_cachep, GFP_KERNEL);
	if (!net->priv)
		return -ENOMEM;
	if (percpu_array_init(&net->priv->prot_inuse, PROTO_INUSE_NR)) {
		kmem_cache_free(net_cachep, net->priv);
		net->priv = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void net_priv_free(struct net *net)
{
	percpu_array_destroy(&net->priv->prot_inuse);
	kmem_cache_free(net_cachep, net->priv);
	net->priv = NULL;
}

/* Library init: init_net's counters and the sysctl defaults. */
int net_ns_init(void)
{
	int err;

	pthread_mutex_lock(&net_mutex);
	err = -ENOMEM;
	if (!net_cachep)
		net_cachep = kmem_cache_create("net_namespace",
				sizeof(struct net_private), 0,
				SLAB_HWCACHE_ALIGN, NULL);
	if (!net_cachep)
		goto out;
	sysctl_defaults(&default_sysctl);
	init_net.sysctl = default_sysctl;
	err = init_net.priv ? 0 : net_priv_alloc(&init_net);
out:
	pthread_mutex_unlock(&net_mutex);
	return err;
}

struct net *net_create(void)
{
	struct net_node *node;
	struct net *net;

	net = kzalloc(sizeof(*net), GFP_KERNEL);
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!net || !node || net_priv_alloc(net))
		goto out_free;
	net->refcnt = 1;
	net->user_ns = &init_user_ns;
	pthread_mutex_lock(&net_mutex);
	net->sysctl = default_sysctl;
	net->id = next_net_id++;
	if (setup_net_locked(net)) {
		pthread_mutex_unlock(&net_mutex);
		net_priv_free(net);
		goto out_free;
	}
	node->net = net;
	node->next = net_list;
	net_list = node;
	pthread_mutex_unlock(&net_mutex);
	return net;
out_free:
	kfree(node);
	kfree(net);
	return NULL;
}

struct net *get_net(struct net *net)
{
	__atomic_fetch_add(&net->refcnt, 1, __ATOMIC_RELAXED);
	return net;
}

static void cleanup_net(struct net *net)
{
	pthread_mutex_lock(&net_mutex);
	for (struct net_node **pp = &net_list; *pp; pp = &(*pp)->next) {
		if ((*pp)->net == net) {
			struct net_node *n = *pp;

			*pp = n->next;
			kfree(n);
			break;
		}
	}
	ops_exit_until(net, NULL);
	pthread_mutex_unlock(&net_mutex);
	net_priv_free(net);
	kfree(net);
}

void put_net(struct net *net)
{
	if (__atomic_sub_fetch(&net->refcnt, 1, __ATOMIC_ACQ_REL) == 0) {
		if (net == &init_net) {
			/* init_net is static: it is never freed */
			__atomic_store_n(&net->refcnt, 1, __ATOMIC_RELAXED);
			return;
		}
		cleanup_net(net);
	}
}

long sock_prot_inuse_get(struct net *net, const struct proto *prot)
{
	if (!net->priv || prot->inuse_idx < 0)
		return 0;
	return percpu_array_sum(&net->priv->prot_inuse, prot->inuse_idx);
}

void sock_prot_inuse_add(struct net *net, const struct proto *prot, int val)
{
	percpu_array_add(&net->priv->prot_inuse, prot->inuse_idx, val);
}

long sock_inuse_get(struct net *net)
{
	return net->priv ? percpu_counter_sum(&net->priv->sock_inuse) : 0;
}

/* Library shutdown: leaked namespaces are reported, init_net's state goes. */
void net_ns_shutdown(void)
{
	pthread_mutex_lock(&net_mutex);
	for (struct net_node *n = net_list; n; n = n->next)
		fprintf(stderr, "sockcore: network namespace %u still has %d "
			"references at shutdown\n", n->net->id, n->net->refcnt);
	pthread_mutex_unlock(&net_mutex);
	if (init_net.priv)
		net_priv_free(&init_net);
	if (!net_list) {
		kmem_cache_destroy(net_cachep);
		net_cachep = NULL;
	}
}
