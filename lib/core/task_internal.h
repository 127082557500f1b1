/* SPDX-License-Identifier: MIT */
/* Task-context internals shared with the library's shutdown. */
#ifndef SOCKCORE_CORE_TASK_INTERNAL_H
#define SOCKCORE_CORE_TASK_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>
#include <urcu/list.h>
#include <sockcore/task.h>
#include <sockcore/fdtable.h>
#include <sockcore/net_namespace.h>

/*
 * The task context behind "current" (task.c). Inline accessors for the
 * library's own creation path: a TLS load and a test, no call.
 */
struct task_struct {
	struct cred cred;
	bool cred_valid;	/* read from the process yet? */
	struct net *net;	/* referenced; NULL: init_net */
	struct files_struct *files;	/* referenced; NULL: default */
	struct cds_list_head node;	/* task_list (task.c) */
};

extern __thread struct task_struct *current_task
	__attribute__((tls_model("initial-exec")));

/* Make the calling thread's context (its first call into the library). */
struct task_struct *task_alloc(void);
/* The credentials, read from the process on first use. */
const struct cred *__current_cred_slow(void);

static inline struct task_struct *current(void)
{
	struct task_struct *t = current_task;

	return __builtin_expect(t != NULL, 1) ? t : task_alloc();
}

static inline const struct cred *current_cred(void)
{
	struct task_struct *t = current_task;

	if (__builtin_expect(t && t->cred_valid, 1))
		return &t->cred;
	return __current_cred_slow();
}

/* The calling thread's effective uid (sock_init_data's sk_uid). */
static inline uid_t current_euid(void)
{
	return current_cred()->euid;
}

static inline struct net *__current_net(void)
{
	struct net *net = current()->net;

	return net ? net : &init_net;
}

static inline struct files_struct *__current_files(void)
{
	struct files_struct *files = current()->files;

	return files ? files : files_default();
}

/* The calling thread drops its namespace and table references. */
void task_shutdown(void);

#endif /* SOCKCORE_CORE_TASK_INTERNAL_H */
