/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/net.h> - the socket layer (the kernel's net/socket.c).
 *
 * struct socket is the BSD-socket half of a socket, struct sock (see
 * <sockcore/sock.h>) the network half. A protocol family registers a
 * struct net_proto_family whose create() fills in sock->ops and sock->sk.
 *
 * The family table net_families[] is read under rcu_read_lock() (liburcu,
 * bp flavour) and written under a mutex with RCU pointer publication.
 */
#ifndef SOCKCORE_NET_H
#define SOCKCORE_NET_H

#include <sys/socket.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

/* The kernel's limits, fixed here so they do not follow the C library. */
#define NPROTO		46		/* AF_MAX of Linux 6.18 */
#define SOCK_MAX	(SOCK_PACKET + 1)
#define SOCK_TYPE_MASK	0xf

struct sock;
struct net;
struct module;
struct file;
struct socket;

typedef enum {
	SS_FREE = 0,		/* not allocated */
	SS_UNCONNECTED,		/* unconnected to any socket */
	SS_CONNECTING,		/* in process of connecting */
	SS_CONNECTED,		/* connected to socket */
	SS_DISCONNECTING,	/* in process of disconnecting */
} socket_state;

struct socket {
	socket_state state;
	short type;			/* SOCK_STREAM, ... (no flag bits) */
	unsigned long flags;
	struct file *file;		/* NULL until mapped to a descriptor */
	struct sock *sk;
	const struct proto_ops *ops;
};

/*
 * Per-family socket operations (the subset the creation path and the
 * library's system calls use). release() undoes create(); socketpair()
 * joins two fresh sockets of the family or returns -EOPNOTSUPP.
 */
struct proto_ops {
	int family;
	struct module *owner;
	int (*release)(struct socket *sock);
	int (*socketpair)(struct socket *sock1, struct socket *sock2);
	/* Options of levels other than SOL_SOCKET; NULL: -EOPNOTSUPP. */
	int (*getsockopt)(struct socket *sock, int level, int optname,
			void *optval, socklen_t *optlen);
};

struct net_proto_family {
	int family;
	int (*create)(struct net *net, struct socket *sock, int protocol,
			int kern);
	struct module *owner;
};

/*
 * sock_register - publish a family. Returns 0, -ENOBUFS if ops->family is
 * out of range, -EEXIST if the slot is taken. @ops must stay valid until
 * sock_unregister() has returned.
 */
SOCKCORE_API int sock_register(const struct net_proto_family *ops);
/*
 * sock_unregister - remove a family, then wait for an RCU grace period:
 * when it returns no creation is still inside the family's create() through
 * the table (sockets already made keep their own module references).
 * Must not be called under rcu_read_lock().
 */
SOCKCORE_API void sock_unregister(int family);
/* Whether a family is registered (for the views and tests). */
SOCKCORE_API int sock_is_registered(int family);

/*
 * __sock_create - create a socket in @net, in the kernel's order of checks
 * (see docs/architecture.md). @kern: a kernel socket (no permission checks,
 * does not pin @net). Returns 0 and *res, or a negative errno with nothing
 * left behind. May load modules; must not be called under rcu_read_lock().
 */
SOCKCORE_API int __sock_create(struct net *net, int family, int type,
		int protocol, struct socket **res, int kern);
/* In the calling thread's namespace, as a user socket. */
SOCKCORE_API int sock_create(int family, int type, int protocol,
		struct socket **res);
/* In @net, as a kernel socket. */
SOCKCORE_API int sock_create_kern(struct net *net, int family, int type,
		int protocol, struct socket **res);
/* Release a socket that has no descriptor (or from its file's last put). */
SOCKCORE_API void sock_release(struct socket *sock);

/*
 * sockfd_lookup - the socket behind descriptor @fd of the calling thread's
 * table, with a reference that sockfd_put() drops. NULL and *err = -EBADF
 * (no such descriptor) or -ENOTSOCK. Safe against a concurrent close.
 */
SOCKCORE_API struct socket *sockfd_lookup(int fd, int *err);
SOCKCORE_API void sockfd_put(struct socket *sock);

/*
 * sock_map_fd - give @sock a descriptor in the calling thread's table.
 * @flags: O_CLOEXEC and/or O_NONBLOCK. Returns the descriptor, or -EMFILE /
 * -ENFILE / -ENOMEM; on failure @sock is untouched (the caller releases).
 */
SOCKCORE_API int sock_map_fd(struct socket *sock, int flags);

/* The ops for families without socketpair: returns -EOPNOTSUPP. */
SOCKCORE_API int sock_no_socketpair(struct socket *sock1, struct socket *sock2);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_NET_H */
