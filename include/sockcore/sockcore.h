/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/sockcore.h> - libsockcore: the Linux socket-creation path in
 * user space.
 *
 * The system calls below behave as socket(2), socketpair(2), close(2),
 * fcntl(2) and getsockopt(2) of Linux 6.18 do for the socket-creation
 * path, with the kernel's convention for results: a descriptor or 0 on
 * success, a negative errno on failure (errno is not touched).
 * Descriptors are libsockcore's own (in the calling thread's descriptor
 * table, see <sockcore/fdtable.h>), not the process's.
 *
 * No initialisation call is needed: the built-in families (AF_INET,
 * AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK) are registered on first use.
 * All functions are thread-safe. None is async-signal-safe: they take
 * locks and allocate, so calling one from a signal handler that interrupted
 * the library can deadlock.
 */
#ifndef SOCKCORE_SOCKCORE_H
#define SOCKCORE_SOCKCORE_H

#include <sys/socket.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

#define SOCKCORE_VERSION_MAJOR 0
#define SOCKCORE_VERSION_MINOR 1
#define SOCKCORE_VERSION_PATCH 0

/* The library's version string, e.g. "0.1.0". */
SOCKCORE_API const char *sockcore_version(void);

/*
 * sockcore_init - register the built-in families now rather than on first
 * use. Returns 0 or a negative errno. Idempotent.
 */
SOCKCORE_API int sockcore_init(void);
/*
 * sockcore_shutdown - close every descriptor of every table, unregister the
 * families, unload modules, wait for RCU callbacks (rcu_barrier) and
 * release the library's memory, so leak checkers report nothing. No other
 * thread may be inside the library. The library may be used again after
 * (it re-initialises on first use).
 */
SOCKCORE_API void sockcore_shutdown(void);

/* socket(2): a descriptor, or -EINVAL, -EAFNOSUPPORT, -EPROTONOSUPPORT,
 * -ESOCKTNOSUPPORT, -EACCES, -EPERM, -EMFILE, -ENFILE, -ENOMEM, -ENOBUFS,
 * -ENOPROTOOPT. */
SOCKCORE_API int sys_socket(int family, int type, int protocol);
/* socketpair(2): 0 and two descriptors in @usockvec, or a negative errno
 * (-EFAULT for a NULL @usockvec) with no descriptor created. */
SOCKCORE_API int sys_socketpair(int family, int type, int protocol,
		int usockvec[2]);
/* close(2): 0 or -EBADF. */
SOCKCORE_API int sys_close(int fd);
/* fcntl(2) for F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD,
 * F_DUPFD_CLOEXEC; other commands -EINVAL, bad descriptors -EBADF. */
SOCKCORE_API int sys_fcntl(int fd, int cmd, long arg);
/* getsockopt(2) for SOL_SOCKET SO_DOMAIN, SO_TYPE, SO_PROTOCOL, SO_RCVBUF,
 * SO_SNDBUF, SO_REUSEADDR (others -ENOPROTOOPT); a NULL @optlen or
 * @optval is -EFAULT, a negative *@optlen -EINVAL. */
SOCKCORE_API int sys_getsockopt(int fd, int level, int optname, void *optval,
		socklen_t *optlen);

SOCKCORE_END_DECLS

#include <sockcore/slab.h>
#include <sockcore/module.h>
#include <sockcore/task.h>
#include <sockcore/net_namespace.h>
#include <sockcore/fdtable.h>
#include <sockcore/security.h>
#include <sockcore/net.h>
#include <sockcore/sock.h>
#include <sockcore/inet.h>
#include <sockcore/ipv6.h>
#include <sockcore/un.h>
#include <sockcore/packet.h>
#include <sockcore/netlink.h>
#include <sockcore/trace.h>
#include <sockcore/proc.h>

#endif /* SOCKCORE_SOCKCORE_H */
