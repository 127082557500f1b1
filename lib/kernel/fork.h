/* SPDX-License-Identifier: MIT */
/*
 * The library across fork().
 *
 * A child process has only the thread that forked. Any lock another thread
 * held at that moment would stay locked in the child forever, so around
 * fork() every lock of the library is taken (prepare) and released again
 * in the parent and in the child. Each subsystem declares its locks with
 * FORK_HOOK and a rank; the ranks ARE the library's lock order, outermost
 * first: a thread holding a lock of one rank may take locks of higher
 * ranks only.
 *
 * liburcu's fork steps have places in that order too. call_rcu's worker
 * is paused (FORK_RANK_CALL_RCU) after the module lock, because module
 * unload waits in rcu_barrier() holding it, and before every lock its
 * callbacks take (freeing a sock reaches net_mutex and the slab locks).
 * urcu-bp's grace-period locks come last: the library calls
 * synchronize_rcu() with its own locks held. jemalloc's own fork
 * handlers, registered before ours, run inside all of them.
 */
#ifndef SOCKCORE_KERNEL_FORK_H
#define SOCKCORE_KERNEL_FORK_H

#include <pthread.h>

enum fork_rank {
	FORK_RANK_INIT,		/* init_mutex: start-up and shutdown */
	FORK_RANK_MODULE,	/* module_mutex: a module's init registers */
	FORK_RANK_CALL_RCU,	/* call_rcu's worker, paused (kernel/fork.c) */
	FORK_RANK_NET,		/* net_mutex: namespaces, pernet subsystems */
	FORK_RANK_FAMILY,	/* net_family_lock */
	FORK_RANK_PROTO,	/* proto_list_mutex */
	FORK_RANK_PROTOSW,	/* protocol switches and the netlink table */
	FORK_RANK_SECURITY,	/* security_mutex */
	FORK_RANK_FILES,	/* files_list_mutex, then each table's lock */
	FORK_RANK_SOCKTABLE,	/* per-namespace socket tables (raw) */
	FORK_RANK_TRACE,	/* trace_mutex */
	FORK_RANK_TASK,		/* task_lock: the list of task contexts */
	FORK_RANK_SLAB,		/* the slab allocator's mutexes (lib/mm) */
};

/*
 * lock: before fork; unlock: after it, in the parent; child: after it, in
 * the child. Default mutexes and spinlocks are simply unlocked in the
 * child too (glibc does not check their owner, and ThreadSanitizer then
 * sees the thread that took them release them). A recursive mutex cannot
 * be: the child's thread has a new thread id, and glibc refuses to unlock
 * a recursive mutex for a thread that does not own it; that one is made
 * anew in the child, which is alone.
 */
struct fork_hook {
	enum fork_rank rank;
	void (*lock)(void);
	void (*unlock)(void);
	void (*child)(void);
	/* optional: in the child, once every lock is free again, outermost
	 * rank first (letting go of what the threads the child does not
	 * have owned may take any lock) */
	void (*child_done)(void);
	struct fork_hook *next;
};

/* Add @hook (called from constructors, before any thread exists). */
void fork_hook_register(struct fork_hook *hook);

/* Install the pthread_atfork handlers, once (the slab allocator's set-up,
 * after jemalloc has installed its own). */
void fork_init(void);

/* Declare a subsystem's fork hook, with a child_done step. */
#define FORK_HOOK_DONE(name, r, lockfn, unlockfn, childfn, donefn)	\
	static struct fork_hook name = {				\
		.rank = (r), .lock = (lockfn), .unlock = (unlockfn),	\
		.child = (childfn), .child_done = (donefn),		\
	};								\
	__attribute__((constructor)) static void name##_register(void)	\
	{								\
		fork_hook_register(&name);				\
	}

/* Declare a subsystem's fork hook. */
#define FORK_HOOK(name, r, lockfn, unlockfn, childfn)			\
	FORK_HOOK_DONE(name, r, lockfn, unlockfn, childfn, NULL)

/* The common case: one static default mutex. */
#define FORK_HOOK_MUTEX(name, r, mutexp)				\
	static void name##_lock(void) { pthread_mutex_lock(mutexp); }	\
	static void name##_unlock(void) { pthread_mutex_unlock(mutexp); } \
	FORK_HOOK(name, r, name##_lock, name##_unlock, name##_unlock)

#endif /* SOCKCORE_KERNEL_FORK_H */
