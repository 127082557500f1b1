/* SPDX-License-Identifier: MIT */
/*
 * The RCU flavour of the whole library, in one place: liburcu's
 * bullet-proof flavour, because a library cannot make its callers
 * register their threads (urcu-bp registers a thread on its first read
 * lock). _LGPL_SOURCE inlines the read-side fast path (a few instructions)
 * instead of calling into liburcu-bp on every rcu_read_lock().
 */
#ifndef SOCKCORE_KERNEL_RCU_H
#define SOCKCORE_KERNEL_RCU_H

/*
 * Not under AddressSanitizer+UBSan: liburcu-bp 0.13 declares its reader
 * structure 128-byte aligned but hands out registry slots that are not,
 * and the inlined read lock then trips -fsanitize=alignment. Calling the
 * library's out-of-line read lock keeps that liburcu defect out of our
 * sanitizer runs without switching the check off for our own code.
 */
#if !defined(_LGPL_SOURCE) && !defined(SOCKCORE_ASAN)
#define _LGPL_SOURCE
#endif
#include <urcu-bp.h>

/*
 * Publication and dereference as C11 atomics (release store, acquire
 * load): on x86 the same instructions as liburcu's volatile accesses and
 * barriers, but visible to ThreadSanitizer, which does not understand
 * liburcu 0.13's. Defined before the list headers so that their inline
 * list operations use them too. (cds_list_del_rcu's unlink store is a
 * CMM_STORE_SHARED that cannot be redirected; tests/tsan.supp names it.)
 */
#undef rcu_dereference
#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#undef rcu_assign_pointer
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
/* a read of an RCU pointer that is not dereferenced (kernel naming) */
#define rcu_access_pointer(p) __atomic_load_n(&(p), __ATOMIC_RELAXED)

#include <urcu/rculist.h>
#include <urcu/rcuhlist.h>

/*
 * ThreadSanitizer cannot see the order a grace period creates: it happens
 * inside uninstrumented liburcu. In TSan builds, every read-side critical
 * section ends with a release on one object standing for "grace periods",
 * and synchronize_rcu() acquires it afterwards, so everything a reader did
 * happens-before what the updater does next. call_rcu() releases on the
 * rcu_head and the callback acquires it (rcu_callback_enter), with the
 * grace-period object too; a callback's end releases what rcu_barrier()
 * acquires. Other builds: nothing.
 */
#if defined(SOCKCORE_TSAN)
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
extern char sockcore_rcu_gp;

static inline void sockcore_rcu_read_unlock(void)
{
	__tsan_release(&sockcore_rcu_gp);
	urcu_bp_read_unlock();
}

static inline void sockcore_synchronize_rcu(void)
{
	urcu_bp_synchronize_rcu();
	__tsan_acquire(&sockcore_rcu_gp);
}

static inline void sockcore_call_rcu(struct rcu_head *head,
		void (*func)(struct rcu_head *head))
{
	__tsan_release(head);
	urcu_bp_call_rcu(head, func);
}

static inline void rcu_callback_enter(struct rcu_head *head)
{
	__tsan_acquire(head);
	__tsan_acquire(&sockcore_rcu_gp);
}

/* The end of a callback happens-before rcu_barrier() returns. */
extern char sockcore_rcu_cb_done;

static inline void rcu_callback_exit(void)
{
	__tsan_release(&sockcore_rcu_cb_done);
}

static inline void sockcore_rcu_barrier(void)
{
	urcu_bp_barrier();
	__tsan_acquire(&sockcore_rcu_cb_done);
}

#undef rcu_read_unlock
#define rcu_read_unlock sockcore_rcu_read_unlock
#undef synchronize_rcu
#define synchronize_rcu sockcore_synchronize_rcu
#undef call_rcu
#define call_rcu sockcore_call_rcu
#undef rcu_barrier
#define rcu_barrier sockcore_rcu_barrier
#else
static inline void rcu_callback_enter(struct rcu_head *head)
{
	(void)head;
}

static inline void rcu_callback_exit(void)
{
}
#endif

#endif /* SOCKCORE_KERNEL_RCU_H */
