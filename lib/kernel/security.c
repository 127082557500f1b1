/* SPDX-License-Identifier: MIT */
/*
 * Security hooks (security/security.c): a stack of registered modules,
 * called in registration order; the first nonzero return wins.
 *
 * The stack is a singly linked list published with RCU: hook sites walk it
 * under rcu_read_lock(), registration and removal take security_mutex.
 * When nothing is registered a hook site costs one load of lsm_count and
 * one predictable branch, like the kernel's static calls.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sockcore/security.h>
#include "kernel/rcu.h"
#include "kernel/trace.h"
#include "kernel/lsm.h"
#include "kernel/fork.h"

static pthread_mutex_t security_mutex = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(security_fork, FORK_RANK_SECURITY, &security_mutex)
static struct security_operations *lsm_head;	/* RCU */
int lsm_count;		/* read inline by the hook sites: kernel/lsm.h */

static bool lsm_none(void)
{
	return __builtin_expect(!__atomic_load_n(&lsm_count, __ATOMIC_RELAXED), 1);
}

int security_add_hooks(struct security_operations *ops)
{
	struct security_operations **pp;
	int err = 0;

	if (!ops || !ops->name)
		return -EINVAL;
	pthread_mutex_lock(&security_mutex);
	for (pp = &lsm_head; *pp; pp = &(*pp)->next) {
		if (*pp == ops || strcmp((*pp)->name, ops->name) == 0) {
			err = -EEXIST;
			goto out;
		}
	}
	ops->next = NULL;
	rcu_assign_pointer(*pp, ops);
	__atomic_fetch_add(&lsm_count, 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&security_mutex);
	return err;
}

int security_delete_hooks(struct security_operations *ops)
{
	struct security_operations **pp;
	int err = -ENOENT;

	pthread_mutex_lock(&security_mutex);
	for (pp = &lsm_head; *pp; pp = &(*pp)->next) {
		if (*pp == ops) {
			rcu_assign_pointer(*pp, ops->next);
			__atomic_fetch_sub(&lsm_count, 1, __ATOMIC_RELEASE);
			err = 0;
			break;
		}
	}
	pthread_mutex_unlock(&security_mutex);
	if (!err)
		synchronize_rcu();	/* no hook of @ops still running */
	return err;
}

/*
 * Walk the stack calling the @hook member; stop at the first error. A
 * macro because the hooks have different signatures.
 */
#define call_int_hook(hook, ...)					\
({									\
	int __rc = 0;							\
	if (!lsm_none()) {						\
		struct security_operations *__p;			\
		rcu_read_lock();					\
		for (__p = rcu_dereference(lsm_head); __p && !__rc;	\
		     __p = rcu_dereference(__p->next))			\
			if (__p->hook)					\
				__rc = __p->hook(__VA_ARGS__);		\
		rcu_read_unlock();					\
	}								\
	__rc;								\
})

int security_socket_create(int family, int type, int protocol, int kern)
{
	int rc;

	trace_enter(TP_SECURITY_SOCKET_CREATE);
	rc = call_int_hook(socket_create, family, type, protocol, kern);
	trace_exit(TP_SECURITY_SOCKET_CREATE, rc);
	return rc;
}

int security_socket_post_create(struct socket *sock, int family, int type,
		int protocol, int kern)
{
	int rc;

	trace_enter(TP_SECURITY_SOCKET_POST_CREATE);
	rc = call_int_hook(socket_post_create, sock, family, type, protocol,
			   kern);
	trace_exit(TP_SECURITY_SOCKET_POST_CREATE, rc);
	return rc;
}

/* As the kernel: when a module refuses, every module gets its sk_free
 * hook, so the ones that already set up state for @sk release it. */
int security_sk_alloc(struct sock *sk, int family, gfp_t priority)
{
	int rc = call_int_hook(sk_alloc_security, sk, family, priority);

	if (__builtin_expect(rc != 0, 0))
		security_sk_free(sk);
	return rc;
}

void security_sk_free(struct sock *sk)
{
	struct security_operations *p;

	if (lsm_none())
		return;
	rcu_read_lock();
	for (p = rcu_dereference(lsm_head); p; p = rcu_dereference(p->next))
		if (p->sk_free_security)
			p->sk_free_security(sk);
	rcu_read_unlock();
}

int security_for_each(int (*fn)(const char *name, void *arg), void *arg)
{
	int ret = 0;

	pthread_mutex_lock(&security_mutex);
	for (struct security_operations *p = lsm_head; p && !ret; p = p->next)
		ret = fn(p->name, arg);
	pthread_mutex_unlock(&security_mutex);
	return ret;
}
