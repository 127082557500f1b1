/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/af_inet6.c - the AF_INET6 family: the protocol switch inetsw6
 * and inet6_create() (net/ipv6/af_inet6.c).
 *
 * inet6_create() follows inet_create() check for check; the differences
 * are the ones the kernel has: its own switch, ENOBUFS when sk_alloc()
 * fails, PF_INET6 in the module names, and the ipv6_pinfo at the end of
 * the object.
 */
#include <errno.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/task.h>

#include "kernel/rcu.h"
#include "core/builtin.h"
#include "ipv6_internal.h"
#include "kernel/fork.h"

/* Written under inetsw6_mutex, read under rcu_read_lock(). */
static struct cds_list_head inetsw6[SOCK_MAX] = {
#define SW6_HEAD(t) [t] = CDS_LIST_HEAD_INIT(inetsw6[t])
	SW6_HEAD(0), SW6_HEAD(1), SW6_HEAD(2), SW6_HEAD(3), SW6_HEAD(4),
	SW6_HEAD(5), SW6_HEAD(6), SW6_HEAD(7), SW6_HEAD(8), SW6_HEAD(9),
	SW6_HEAD(10),
#undef SW6_HEAD
};
_Static_assert(SOCK_MAX == 11, "inetsw6 initialiser covers SOCK_MAX types");

static pthread_mutex_t inetsw6_mutex = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(inetsw6_fork, FORK_RANK_PROTOSW, &inetsw6_mutex)

/*
 * cds_list_add_rcu() with the new entry's own link stored atomically: an
 * entry unregistered and registered again (udplite6 reloaded) is relinked
 * after the grace period of its removal, which ThreadSanitizer cannot see,
 * so a plain store would look like a race with the last readers.
 */
static void inetsw6_list_add_rcu(struct cds_list_head *newp,
		struct cds_list_head *head)
{
	__atomic_store_n(&newp->next, head->next, __ATOMIC_RELAXED);
	newp->prev = head;
	head->next->prev = newp;
	rcu_assign_pointer(head->next, newp);
}

int inet6_register_protosw(struct inet_protosw *p)
{
	struct cds_list_head *last_perm;
	struct inet_protosw *answer;
	int ret = -EINVAL;

	if (p->type >= SOCK_MAX)
		return ret;

	pthread_mutex_lock(&inetsw6_mutex);
	/* New entries go after the PERMANENT ones, so they never shadow
	 * the defaults; an exact PERMANENT match cannot be overridden. */
	ret = -EPERM;
	last_perm = &inetsw6[p->type];
	cds_list_for_each_entry(answer, &inetsw6[p->type], list) {
		if (!(answer->flags & INET_PROTOSW_PERMANENT))
			continue;
		if (answer->protocol == p->protocol)
			goto out;
		last_perm = &answer->list;
	}
	inetsw6_list_add_rcu(&p->list, last_perm);
	ret = 0;
out:
	pthread_mutex_unlock(&inetsw6_mutex);
	return ret;
}

/* Unlink without the PERMANENT check (library shutdown) and wait for
 * readers. */
void inet6_protosw_remove(struct inet_protosw *p)
{
	pthread_mutex_lock(&inetsw6_mutex);
	cds_list_del_rcu(&p->list);
	pthread_mutex_unlock(&inetsw6_mutex);
	synchronize_rcu();
}

int inet6_unregister_protosw(struct inet_protosw *p)
{
	if (p->flags & INET_PROTOSW_PERMANENT)
		return -EPERM;
	inet6_protosw_remove(p);
	return 0;
}

int inet6_protosw_for_each(int (*fn)(const struct inet_protosw *p, void *arg),
		void *arg)
{
	struct inet_protosw *p;
	int type, ret = 0;

	pthread_mutex_lock(&inetsw6_mutex);
	for (type = 0; type < SOCK_MAX && !ret; type++) {
		cds_list_for_each_entry(p, &inetsw6[type], list) {
			ret = fn(p, arg);
			if (ret)
				break;
		}
	}
	pthread_mutex_unlock(&inetsw6_mutex);
	return ret;
}

/*
 * Find the switch entry for (type, *protocol) under rcu_read_lock().
 * Returns the entry or an ERR-style code through *err: ESOCKTNOSUPPORT
 * when the type has no entry at all, EPROTONOSUPPORT when none matches.
 * IPPROTO_IP asks for the type's default and is rewritten to it.
 */
static struct inet_protosw *inetsw6_lookup(int type, int *protocol, int *err)
{
	struct inet_protosw *answer;

	*err = -ESOCKTNOSUPPORT;
	cds_list_for_each_entry_rcu(answer, &inetsw6[type], list) {
		*err = 0;
		if (*protocol == answer->protocol) {
			if (*protocol != IPPROTO_IP)
				return answer;
		} else {
			if (*protocol == IPPROTO_IP) {
				*protocol = answer->protocol;
				return answer;
			}
			if (answer->protocol == IPPROTO_IP)
				return answer;
		}
		*err = -EPROTONOSUPPORT;
	}
	return NULL;
}

struct inet6_answer {
	struct proto *prot;
	unsigned char flags;
};

/*
 * Steps 3 to 6 of inet6_create(): the lookup with up to two module loads
 * in between, the raw-socket permission check, and the ops. Fills @ans,
 * with a reference on ans->prot->owner that the caller drops.
 */
static int inet6_find_protosw(struct net *net, struct socket *sock,
		int *protocol, int kern, struct inet6_answer *ans)
{
	struct inet_protosw *answer;
	int try_loading_module = 0;
	int err;

	for (;;) {
		rcu_read_lock();
		answer = inetsw6_lookup(sock->type, protocol, &err);
		if (answer || try_loading_module >= 2)
			break;
		/* request_module() sleeps: never under the read lock. */
		rcu_read_unlock();
		if (++try_loading_module == 1)
			request_module("net-pf-%d-proto-%d-type-%d", PF_INET6,
				       *protocol, sock->type);
		else
			request_module("net-pf-%d-proto-%d", PF_INET6,
				       *protocol);
	}
	if (!answer)
		goto out_unlock;

	err = -EPERM;
	if (sock->type == SOCK_RAW && !kern &&
	    !ns_capable(net->user_ns, CAP_NET_RAW))
		goto out_unlock;

	/* Once we leave the read section a module may unregister the entry,
	 * then its proto and cache: pin the proto's owner until sk_alloc()
	 * holds its own reference. A module going away counts as absent;
	 * built-in protos (owner NULL) cost nothing. */
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

/* The IPv6 and IPv4 defaults of a fresh socket (inet6_create()'s tail). */
static void inet6_init_sock_defaults(struct net *net, struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct ipv6_pinfo *np = inet6_sk_generic(sk);

	inet->pinet6 = np;
	np->hop_limit = -1;
	np->mcast_hops = IPV6_DEFAULT_MCASTHOPS;
	np->mc_loop = 1;
	np->mc_all = 1;
	np->pmtudisc = SC_IPV6_PMTUDISC_WANT;

	/* The IPv4 part too: an IPv6 socket may carry IPv4 traffic
	 * (v4-mapped addresses). */
	inet->uc_ttl = -1;
	inet->mc_loop = 1;
	inet->mc_ttl = 1;
	inet->mc_index = 0;
	inet->mc_list = NULL;
	inet->rcv_tos = 0;
	if (__atomic_load_n(&net->sysctl.ip_no_pmtu_disc, __ATOMIC_RELAXED))
		inet->pmtudisc = SC_IP_PMTUDISC_DONT;
	else
		inet->pmtudisc = SC_IP_PMTUDISC_WANT;
}

/* Hash a raw socket and run the proto's init; on error the sock is gone. */
static int inet6_sock_finish(struct socket *sock, struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	int err = 0;

	if (inet->inet_num) {
		inet->inet_sport = htons(inet->inet_num);
		err = sk->sk_prot->hash(sk);
		if (err)
			goto out_release;
	}
	if (sk->sk_prot->init) {
		err = sk->sk_prot->init(sk);
		if (err)
			goto out_release;
	}
	return 0;

out_release:
	sk_common_release(sk);
	/* The core releases the socket without the ops: leave no pointer
	 * to the freed sock behind. */
	sock->sk = NULL;
	return err;
}

static int inet6_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct inet6_answer ans = { .prot = NULL };
	struct inet_sock *inet;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;

	sock->state = SS_UNCONNECTED;
	err = inet6_find_protosw(net, sock, &protocol, kern, &ans);
	if (err)
		return err;

	sk = sk_alloc(net, PF_INET6, GFP_KERNEL, ans.prot, kern);
	module_put(ans.prot->owner);
	if (!sk)
		return -ENOBUFS;

	sock_init_data(sock, sk);
	if (ans.flags & INET_PROTOSW_REUSE)
		sk->sk_reuse = SK_CAN_REUSE;

	inet = inet_sk(sk);
	inet->is_icsk = !!(ans.flags & INET_PROTOSW_ICSK);
	inet->nodefrag = 0;
	if (sock->type == SOCK_RAW) {
		inet->inet_num = protocol;
		if (protocol == IPPROTO_RAW)
			inet->hdrincl = 1;
	}

	sk->sk_destruct = inet6_sock_destruct;
	sk->sk_family = PF_INET6;
	sk->sk_protocol = protocol;
	sk->sk_backlog_rcv = sk->sk_prot->backlog_rcv;
	inet6_init_sock_defaults(net, sk);

	return inet6_sock_finish(sock, sk);
}

void inet6_sock_destruct(struct sock *sk)
{
	/* No IPv6 options, multicast or flow-label lists are ever attached
	 * on the creation path, so only the IPv4 part has state to drop. */
	inet_sock_destruct(sk);
}

int inet6_release(struct socket *sock)
{
	if (!sock->sk)
		return -EINVAL;
	/* ipv6_sock_mc_close()/ipv6_sock_ac_close() have nothing to free
	 * here: the lists are only filled by setsockopt(). */
	return inet_release(sock);
}

#define INET6_OPS(name)					\
	const struct proto_ops name = {			\
		.family = PF_INET6,			\
		.owner = THIS_MODULE,			\
		.release = inet6_release,		\
		.socketpair = sock_no_socketpair,	\
	}

INET6_OPS(inet6_stream_ops);
INET6_OPS(inet6_dgram_ops);
INET6_OPS(inet6_sockraw_ops);

static const struct net_proto_family inet6_family_ops = {
	.family = PF_INET6,
	.create = inet6_create,
	.owner = THIS_MODULE,
};

int inet6_init(void)
{
	int err;

	err = raw6_init();
	if (err)
		return err;
	err = inet6_protos_register();
	if (err)
		goto out_raw;
	err = sock_register(&inet6_family_ops);
	if (err)
		goto out_protos;
	return 0;

out_protos:
	inet6_protos_unregister();
out_raw:
	raw6_exit();
	return err;
}

void inet6_exit(void)
{
	sock_unregister(PF_INET6);
	inet6_protos_unregister();
	raw6_exit();
}
