/* SPDX-License-Identifier: MIT */
/*
 * The objects that stand for RCU's orderings in ThreadSanitizer builds
 * (see kernel/rcu.h): grace periods, and the callbacks rcu_barrier() waits
 * for. Other builds have nothing here.
 */
#include "kernel/rcu.h"

#if defined(SOCKCORE_TSAN)
char sockcore_rcu_gp;
char sockcore_rcu_cb_done;
#endif
