/* SPDX-License-Identifier: MIT */
/*
 * The library across fork(): take every lock (and pause call_rcu) in rank
 * order, then urcu-bp's; undo it all in reverse after (kernel/fork.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include "kernel/rcu.h"
#include "kernel/fork.h"

static struct fork_hook *hooks;		/* sorted by rank, outermost first */
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

void fork_hook_register(struct fork_hook *hook)
{
	struct fork_hook **pp = &hooks;

	while (*pp && (*pp)->rank <= hook->rank)
		pp = &(*pp)->next;
	hook->next = *pp;
	*pp = hook;
}

/* call_rcu's worker has its rank in the order like any lock (fork.h). */
FORK_HOOK(call_rcu_fork, FORK_RANK_CALL_RCU, call_rcu_before_fork,
	  call_rcu_after_fork_parent, call_rcu_after_fork_child)

static void fork_prepare(void)
{
	for (struct fork_hook *h = hooks; h; h = h->next)
		h->lock();
	urcu_bp_before_fork();
}

/* Innermost first: the reverse of fork_prepare's order. */
static void release_from(struct fork_hook *h, bool child)
{
	if (!h)
		return;
	release_from(h->next, child);
	if (child)
		h->child();
	else
		h->unlock();
}

static void fork_parent(void)
{
	urcu_bp_after_fork_parent();
	release_from(hooks, false);
}

static void fork_child(void)
{
	urcu_bp_after_fork_child();
	release_from(hooks, true);
	for (struct fork_hook *h = hooks; h; h = h->next)
		if (h->child_done)
			h->child_done();
}

static void fork_install(void)
{
	pthread_atfork(fork_prepare, fork_parent, fork_child);
}

void fork_init(void)
{
	pthread_once(&fork_once, fork_install);
}
