/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/task.h> - "current": the calling thread's task context.
 *
 * The kernel reads credentials, the network namespace and the descriptor
 * table from current. Here each thread has a task context, made on first
 * use: its credentials are read from the real process (real/effective ids,
 * groups, effective capabilities via capget(2)), its namespace is init_net
 * and its descriptor table the process-wide default one. Each can be
 * refreshed, overridden (tests use this to act as an unprivileged user) or
 * switched, for the calling thread only.
 *
 * User namespaces: libsockcore models exactly one user namespace, the
 * initial one, which owns every network namespace. ns_capable(ns, cap) is
 * therefore capable(cap): the capability in the thread's effective set.
 */
#ifndef SOCKCORE_TASK_H
#define SOCKCORE_TASK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

#define SOCKCORE_NGROUPS_MAX 64

struct cred {
	uid_t uid, euid;
	gid_t gid, egid;
	int ngroups;			/* supplementary groups in groups[] */
	gid_t groups[SOCKCORE_NGROUPS_MAX];
	uint64_t cap_effective;		/* bit n = capability n (CAP_NET_RAW...) */
};

struct user_namespace;
struct net;
struct files_struct;

/* The only user namespace (see above). */
SOCKCORE_API extern struct user_namespace init_user_ns;

/* Copy of the calling thread's credentials. */
SOCKCORE_API void sockcore_cred_get(struct cred *out);
/* Replace the calling thread's credentials (testing, or acting for a user).
 * ngroups is clamped to 0..SOCKCORE_NGROUPS_MAX. */
SOCKCORE_API void sockcore_cred_set(const struct cred *cred);
/* Re-read the calling thread's credentials from the process. Returns 0 or
 * a negative errno from getresuid/getgroups/capget. */
SOCKCORE_API int sockcore_cred_refresh(void);

/* capable(cap): @cap (0..63) in the calling thread's effective set. */
SOCKCORE_API bool capable(int cap);
/* ns_capable: capable() in user namespace @ns (always init_user_ns). */
SOCKCORE_API bool ns_capable(struct user_namespace *ns, int cap);
/* Whether the calling thread's gid or a supplementary group is in
 * [low, high] (the ping_group_range test). */
SOCKCORE_API bool in_group_range(gid_t low, gid_t high);

/* The calling thread's network namespace (no reference taken; valid while
 * the thread keeps it current). */
SOCKCORE_API struct net *current_net(void);
/* Make @net the calling thread's namespace (takes a reference on it, drops
 * the one on the old). NULL means init_net. */
SOCKCORE_API void sockcore_switch_net(struct net *net);

/* The calling thread's descriptor table (no reference taken). */
SOCKCORE_API struct files_struct *current_files(void);
/* Make @files the calling thread's table (reference taken, old dropped).
 * NULL means the process-wide default table. */
SOCKCORE_API void sockcore_switch_files(struct files_struct *files);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_TASK_H */
