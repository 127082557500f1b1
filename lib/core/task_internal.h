/* SPDX-License-Identifier: MIT */
/* Task-context internals shared with the library's shutdown. */
#ifndef SOCKCORE_CORE_TASK_INTERNAL_H
#define SOCKCORE_CORE_TASK_INTERNAL_H

#include <sys/types.h>

/* The calling thread's effective uid (sock_init_data's sk_uid). */
uid_t current_euid(void);

/* The calling thread drops its namespace and table references. */
void task_shutdown(void);

#endif /* SOCKCORE_CORE_TASK_INTERNAL_H */
