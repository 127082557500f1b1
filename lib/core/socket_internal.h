/* SPDX-License-Identifier: MIT */
/* Socket-layer internals shared by lib/core. */
#ifndef SOCKCORE_CORE_SOCKET_INTERNAL_H
#define SOCKCORE_CORE_SOCKET_INTERNAL_H

#include <stdbool.h>
#include <sys/socket.h>

struct sock;

extern int sockcore_ready;

int sockcore_init_slow(void);

/* First use of the library registers the built-in families (init.c). */
static inline int sockcore_ensure_init(void)
{
	if (__builtin_expect(__atomic_load_n(&sockcore_ready, __ATOMIC_ACQUIRE), 1))
		return 0;
	return sockcore_init_slow();
}

static inline bool sockcore_initialised(void)
{
	return __atomic_load_n(&sockcore_ready, __ATOMIC_ACQUIRE);
}

/* The socket cache and family table (socket.c). */
int sock_init(void);
void sock_exit(void);

/* SOL_SOCKET options (sock.c). */
int sk_getsockopt(struct sock *sk, int optname, void *optval, socklen_t *optlen);

/* The proto list (sock.c): protos still registered at shutdown. */
void proto_shutdown(void);

#endif /* SOCKCORE_CORE_SOCKET_INTERNAL_H */
