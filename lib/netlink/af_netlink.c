/* SPDX-License-Identifier: MIT */
/*
 * lib/netlink/af_netlink.c - the AF_NETLINK family (net/netlink/
 * af_netlink.c): the table of registered units, creation and release.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/netlink.h>
#include <sockcore/slab.h>

#include "kernel/rcu.h"
#include "core/builtin.h"
#include "kernel/fork.h"

#define NETLINK_OBJ_SIZE	1096

_Static_assert(sizeof(struct netlink_sock) <= NETLINK_OBJ_SIZE,
	       "struct netlink_sock larger than the kernel's object");

struct netlink_table {
	struct module *module;
};

/* Read under rcu_read_lock(), written under nl_table_mutex. */
static struct netlink_table *nl_table[MAX_LINKS];
static pthread_mutex_t nl_table_mutex = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(nl_table_fork, FORK_RANK_PROTOSW, &nl_table_mutex)

/* Built-in units share one entry: their owner is the library itself. */
static struct netlink_table nl_builtin = { .module = NULL };

/*
 * The units a stock Linux 6.18 (this project's reference machine)
 * registers at boot: socket(AF_NETLINK, SOCK_RAW, p) succeeds there for
 * exactly these p in 0..31 (NETLINK_ISCSI, SCSITRANSPORT, RDMA, CRYPTO and
 * SMC are modules or not configured, and fail).
 */
static const int nl_builtin_units[] = {
	NETLINK_ROUTE,		/* 0 */
	NETLINK_USERSOCK,	/* 2 */
	NETLINK_SOCK_DIAG,	/* 4 */
	NETLINK_XFRM,		/* 6 */
	NETLINK_SELINUX,	/* 7 */
	NETLINK_AUDIT,		/* 9 */
	NETLINK_FIB_LOOKUP,	/* 10 */
	NETLINK_CONNECTOR,	/* 11 */
	NETLINK_NETFILTER,	/* 12 */
	NETLINK_KOBJECT_UEVENT,	/* 15 */
	NETLINK_GENERIC,	/* 16 */
};

#define NR_BUILTIN_UNITS (sizeof(nl_builtin_units) / sizeof(nl_builtin_units[0]))

struct proto netlink_proto = {
	.name = "NETLINK",
	.owner = THIS_MODULE,
	.obj_size = NETLINK_OBJ_SIZE,
};

static int nl_table_set(int unit, struct netlink_table *entry)
{
	int err = -EEXIST;

	pthread_mutex_lock(&nl_table_mutex);
	if (!nl_table[unit]) {
		rcu_assign_pointer(nl_table[unit], entry);
		err = 0;
	}
	pthread_mutex_unlock(&nl_table_mutex);
	return err;
}

int netlink_register_protocol(int unit, struct module *owner)
{
	struct netlink_table *entry;
	int err;

	if (unit < 0 || unit >= MAX_LINKS)
		return -EINVAL;
	entry = kmalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->module = owner;
	err = nl_table_set(unit, entry);
	if (err)
		kfree(entry);
	return err;
}

/* Clear @unit; the entry is freed once no reader can still see it. */
static int nl_table_clear(int unit)
{
	struct netlink_table *entry;

	pthread_mutex_lock(&nl_table_mutex);
	entry = nl_table[unit];
	rcu_assign_pointer(nl_table[unit], NULL);
	pthread_mutex_unlock(&nl_table_mutex);
	if (!entry)
		return -ENOENT;
	synchronize_rcu();
	if (entry != &nl_builtin)
		kfree(entry);
	return 0;
}

int netlink_unregister_protocol(int unit)
{
	if (unit < 0 || unit >= MAX_LINKS)
		return -EINVAL;
	return nl_table_clear(unit);
}

bool netlink_protocol_registered(int unit)
{
	bool ret;

	if (unit < 0 || unit >= MAX_LINKS)
		return false;
	rcu_read_lock();
	ret = rcu_dereference(nl_table[unit]) != NULL;
	rcu_read_unlock();
	return ret;
}

/* A reference on the owner of @unit, or -EPROTONOSUPPORT. */
static int netlink_get_unit(int unit, struct module **owner)
{
	struct netlink_table *entry;
	int err = -EPROTONOSUPPORT;

	rcu_read_lock();
	entry = rcu_dereference(nl_table[unit]);
	if (entry && try_module_get(entry->module)) {
		*owner = entry->module;
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

static int netlink_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	module_put(nlk_sk(sk)->module);
	sock_prot_inuse_add(sock_net(sk), &netlink_proto, -1);
	sock_set_flag(sk, SOCK_DEAD);	/* sock_orphan() */
	sk->sk_socket = NULL;
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static const struct proto_ops netlink_ops = {
	.family = PF_NETLINK,
	.owner = THIS_MODULE,
	.release = netlink_release,
	.socketpair = sock_no_socketpair,
};

static int __netlink_create(struct net *net, struct socket *sock,
		int protocol, int kern)
{
	struct sock *sk;

	sock->ops = &netlink_ops;
	sk = sk_alloc(net, PF_NETLINK, GFP_KERNEL, &netlink_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock_init_data(sock, sk);
	sk->sk_protocol = protocol;
	return 0;
}

static int netlink_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct module *module = NULL;
	int err;

	sock->state = SS_UNCONNECTED;
	if (sock->type != SOCK_RAW && sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= MAX_LINKS)
		return -EPROTONOSUPPORT;

	if (!netlink_protocol_registered(protocol))
		request_module("net-pf-%d-proto-%d", PF_NETLINK, protocol);
	err = netlink_get_unit(protocol, &module);
	if (err)
		return err;

	err = __netlink_create(net, sock, protocol, kern);
	if (err) {
		module_put(module);
		return err;
	}
	sock_prot_inuse_add(net, &netlink_proto, 1);
	nlk_sk(sock->sk)->module = module;
	return 0;
}

static const struct net_proto_family netlink_family_ops = {
	.family = PF_NETLINK,
	.create = netlink_create,
	.owner = THIS_MODULE,
};

/* Clear every unit at once (init failure, shutdown): one grace period. */
static void nl_table_reset(void)
{
	struct netlink_table *old[MAX_LINKS];
	int unit;

	pthread_mutex_lock(&nl_table_mutex);
	for (unit = 0; unit < MAX_LINKS; unit++) {
		old[unit] = nl_table[unit];
		rcu_assign_pointer(nl_table[unit], NULL);
	}
	pthread_mutex_unlock(&nl_table_mutex);
	synchronize_rcu();
	for (unit = 0; unit < MAX_LINKS; unit++)
		if (old[unit] != &nl_builtin)
			kfree(old[unit]);
}

int netlink_proto_init(void)
{
	size_t i;
	int err;

	/* No cache: the kernel's netlink objects are kmalloc()ed. */
	err = proto_register(&netlink_proto, 0);
	if (err)
		return err;
	for (i = 0; i < NR_BUILTIN_UNITS && !err; i++)
		err = nl_table_set(nl_builtin_units[i], &nl_builtin);
	if (!err)
		err = sock_register(&netlink_family_ops);
	if (err) {
		nl_table_reset();
		proto_unregister(&netlink_proto);
	}
	return err;
}

void netlink_proto_exit(void)
{
	sock_unregister(PF_NETLINK);
	nl_table_reset();
	proto_unregister(&netlink_proto);
}
