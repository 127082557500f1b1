/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/security.h> - security hooks, stackable like Linux LSMs.
 *
 * A security module is a named set of hooks registered at run time. Hooks
 * of all registered modules run in registration order; the first nonzero
 * return stops the call and is returned as is (it should be a negative
 * errno, e.g. -EACCES or -EPERM). Hooks may run on any thread, inside the
 * socket-creation path, and must not call back into socket creation.
 *
 * Cost when nothing is registered: one load and one predictable branch per
 * hook site.
 */
#ifndef SOCKCORE_SECURITY_H
#define SOCKCORE_SECURITY_H

#include <sockcore/export.h>
#include <sockcore/slab.h>

SOCKCORE_BEGIN_DECLS

struct socket;
struct sock;

struct security_operations {
	const char *name;
	int (*socket_create)(int family, int type, int protocol, int kern);
	int (*socket_post_create)(struct socket *sock, int family, int type,
			int protocol, int kern);
	int (*sk_alloc_security)(struct sock *sk, int family, gfp_t priority);
	void (*sk_free_security)(struct sock *sk);
	/* library-owned */
	struct security_operations *next;
};

/* Register @ops (the struct must stay valid until unregistered).
 * Returns 0, -EEXIST if already registered or a module by that name is,
 * -EINVAL without a name. */
SOCKCORE_API int security_add_hooks(struct security_operations *ops);
/* Unregister and wait for an RCU grace period, so no hook of @ops is
 * running when this returns. Returns 0 or -ENOENT. */
SOCKCORE_API int security_delete_hooks(struct security_operations *ops);

/* The hook sites (the creation path calls these). */
SOCKCORE_API int security_socket_create(int family, int type, int protocol,
		int kern);
SOCKCORE_API int security_socket_post_create(struct socket *sock, int family,
		int type, int protocol, int kern);
SOCKCORE_API int security_sk_alloc(struct sock *sk, int family, gfp_t priority);
SOCKCORE_API void security_sk_free(struct sock *sk);

/* The registered modules' names, in order, for the /proc-style views:
 * calls @fn for each; stops at the first nonzero return. */
SOCKCORE_API int security_for_each(int (*fn)(const char *name, void *arg),
		void *arg);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_SECURITY_H */
