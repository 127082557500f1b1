/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/un.h> - AF_UNIX sockets (net/unix/af_unix.c).
 *
 * Stream sockets come from the "UNIX-STREAM" proto, datagram and
 * seqpacket ones from "UNIX" (both 1152-byte objects, as in Linux 6.18).
 * socketpair() joins two sockets back to back: each end's peer is the
 * other, and each end holds a reference on its peer until it is released.
 */
#ifndef SOCKCORE_UN_H
#define SOCKCORE_UN_H

#include <pthread.h>
#include <sys/types.h>
#include <sockcore/export.h>
#include <sockcore/sock.h>

SOCKCORE_BEGIN_DECLS

struct unix_peercred {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

/* struct unix_sock - an AF_UNIX socket: struct sock first. */
struct unix_sock {
	struct sock sk;
	pthread_spinlock_t lock;	/* unix_state_lock: peer, state */
	struct sock *peer;		/* referenced while set */
	struct unix_peercred peercred;	/* of the peer, at connection time */
};

static inline struct unix_sock *unix_sk(const struct sock *sk)
{
	return (struct unix_sock *)sk;
}

/*
 * The peer of @sk, or NULL. Only stable while the caller excludes a
 * concurrent release of @sk (e.g. holds its descriptor).
 */
static inline struct sock *unix_peer(const struct sock *sk)
{
	return __atomic_load_n(&unix_sk(sk)->peer, __ATOMIC_ACQUIRE);
}

SOCKCORE_API extern struct proto unix_stream_proto;
SOCKCORE_API extern struct proto unix_dgram_proto;

/* AF_UNIX socks allocated in the process (the kernel's unix_nr_socks,
 * checked against 2 * fs.file-max). */
SOCKCORE_API long unix_nr_socks_get(void);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_UN_H */
