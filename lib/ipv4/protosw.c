/* SPDX-License-Identifier: MIT */
/*
 * The protocol switch (see protosw.h), shared by AF_INET and AF_INET6.
 */
#include <errno.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/task.h>
#include "kernel/trace.h"
#include "protosw.h"

int protosw_register(struct protosw_table *t, struct inet_protosw *p)
{
	struct cds_list_head *last_perm, *lh;
	struct inet_protosw *answer;
	int err = 0;

	if (p->type >= SOCK_MAX)
		return -EINVAL;

	pthread_mutex_lock(&t->lock);
	/* PERMANENT entries lead their list; new ones go right after them,
	 * so they never shadow the defaults. */
	last_perm = &t->type[p->type];
	cds_list_for_each(lh, &t->type[p->type]) {
		answer = cds_list_entry(lh, struct inet_protosw, list);
		if (!(answer->flags & INET_PROTOSW_PERMANENT))
			break;
		if (answer->protocol == p->protocol) {
			err = -EPERM;
			goto out;
		}
		last_perm = lh;
	}
	cds_list_add_rcu(&p->list, last_perm);
out:
	pthread_mutex_unlock(&t->lock);
	return err;
}

void protosw_remove(struct protosw_table *t, struct inet_protosw *p)
{
	pthread_mutex_lock(&t->lock);
	cds_list_del_rcu(&p->list);
	pthread_mutex_unlock(&t->lock);
	synchronize_rcu();	/* no create() is still looking at @p */
}

int protosw_unregister(struct protosw_table *t, struct inet_protosw *p)
{
	if (p->flags & INET_PROTOSW_PERMANENT)
		return -EPERM;
	protosw_remove(t, p);
	return 0;
}

static int __protosw_lookup(struct protosw_table *t, int type, int *protocol,
		struct inet_protosw **answer)
{
	struct inet_protosw *p;
	int err = -ESOCKTNOSUPPORT;

	cds_list_for_each_entry_rcu(p, &t->type[type], list) {
		err = 0;
		if (*protocol == p->protocol) {
			if (*protocol != IPPROTO_IP)
				break;
		} else {
			if (*protocol == IPPROTO_IP) {
				*protocol = p->protocol;
				break;
			}
			if (p->protocol == IPPROTO_IP)
				break;
		}
		err = -EPROTONOSUPPORT;
	}
	if (!err)
		*answer = p;
	return err;
}

int protosw_lookup(struct protosw_table *t, int type, int *protocol,
		struct inet_protosw **answer)
{
	int err;

	trace_enter(TP_PROTOSW_LOOKUP);
	err = __protosw_lookup(t, type, protocol, answer);
	trace_exit(TP_PROTOSW_LOOKUP, err);
	return err;
}

int protosw_find(struct protosw_table *t, int family, struct net *net,
		struct socket *sock, int *protocol, int kern,
		struct protosw_answer *ans)
{
	struct inet_protosw *answer = NULL;
	int try_loading_module = 0;
	int err;

	for (;;) {
		rcu_read_lock();
		err = protosw_lookup(t, sock->type, protocol, &answer);
		if (!err || try_loading_module >= 2)
			break;
		/* request_module() sleeps: never inside the read section */
		rcu_read_unlock();
		if (++try_loading_module == 1)
			request_module("net-pf-%d-proto-%d-type-%d", family,
				       *protocol, sock->type);
		else
			request_module("net-pf-%d-proto-%d", family, *protocol);
	}
	if (err)
		goto out_unlock;

	/* After the lookup: (INET, RAW, 0) is EPROTONOSUPPORT for anyone. */
	err = -EPERM;
	if (sock->type == SOCK_RAW && !kern &&
	    !ns_capable(net->user_ns, CAP_NET_RAW))
		goto out_unlock;

	/* Built-in protos (owner NULL) cost nothing here. */
	err = -EPROTONOSUPPORT;
	if (!try_module_get(answer->prot->owner))
		goto out_unlock;

	sock->ops = answer->ops;
	ans->prot = answer->prot;
	ans->flags = answer->flags;
	err = 0;
out_unlock:
	rcu_read_unlock();
	return err;
}

int protosw_for_each(struct protosw_table *t,
		int (*fn)(const struct inet_protosw *p, void *arg), void *arg)
{
	struct inet_protosw *p;
	int type, ret = 0;

	pthread_mutex_lock(&t->lock);
	for (type = 0; type < SOCK_MAX && !ret; type++) {
		cds_list_for_each_entry(p, &t->type[type], list) {
			ret = fn(p, arg);
			if (ret)
				break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}
