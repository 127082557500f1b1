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

#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE
#endif
#include <urcu-bp.h>
#include <urcu/rculist.h>
#include <urcu/rcuhlist.h>

#endif /* SOCKCORE_KERNEL_RCU_H */
