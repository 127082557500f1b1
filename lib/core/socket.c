/* SPDX-License-Identifier: MIT */
/*
 * The socket layer (net/socket.c): the system calls, __sock_create() and
 * the protocol-family table.
 *
 * A socket and its file are one object of the "sock_inode_cache" slab (the
 * kernel pairs struct socket with an inode in socket_alloc; we pair it with
 * its struct file). The cache is SLAB_TYPESAFE_BY_RCU because descriptor
 * lookups read a file's reference count without a lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sockcore/sockcore.h>
#include "kernel/rcu.h"
#include "kernel/trace.h"
#include "kernel/lsm.h"
#include "core/file.h"
#include "core/socket_internal.h"
#include "core/task_internal.h"
#include "kernel/fork.h"

/* The seed's compile-time consistency checks of the SOCK_* constants. */
_Static_assert(SOCK_CLOEXEC == O_CLOEXEC, "SOCK_CLOEXEC must be O_CLOEXEC");
_Static_assert((SOCK_MAX | SOCK_TYPE_MASK) == SOCK_TYPE_MASK,
	       "socket types must fit the type mask");
_Static_assert((SOCK_CLOEXEC & SOCK_TYPE_MASK) == 0, "flag in the type mask");
_Static_assert((SOCK_NONBLOCK & SOCK_TYPE_MASK) == 0, "flag in the type mask");
_Static_assert(SOCK_NONBLOCK == O_NONBLOCK, "SOCK_NONBLOCK is O_NONBLOCK here");
_Static_assert(NPROTO == AF_MAX, "the C library's AF_MAX is not Linux 6.18's");

struct socket_alloc {
	struct socket socket;
	struct file file;
};

static pthread_mutex_t net_family_lock = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(family_fork, FORK_RANK_FAMILY, &net_family_lock)
static const struct net_proto_family *net_families[NPROTO];	/* RCU */
static struct kmem_cache *sock_inode_cachep;
static const struct file_operations socket_file_ops;

/* ---- the family table ---------------------------------------------------- */

int sock_register(const struct net_proto_family *ops)
{
	int err;

	if (!ops || ops->family < 0 || ops->family >= NPROTO) {
		fprintf(stderr, "sockcore: protocol %d >= NPROTO(%d)\n",
			ops ? ops->family : -1, NPROTO);
		return -ENOBUFS;
	}
	pthread_mutex_lock(&net_family_lock);
	if (net_families[ops->family]) {
		err = -EEXIST;
	} else {
		rcu_assign_pointer(net_families[ops->family], ops);
		err = 0;
	}
	pthread_mutex_unlock(&net_family_lock);
	return err;
}

void sock_unregister(int family)
{
	if (family < 0 || family >= NPROTO)
		return;
	pthread_mutex_lock(&net_family_lock);
	rcu_assign_pointer(net_families[family], NULL);
	pthread_mutex_unlock(&net_family_lock);
	synchronize_rcu();
}

int sock_is_registered(int family)
{
	if (family < 0 || family >= NPROTO)
		return 0;
	return rcu_access_pointer(net_families[family]) != NULL;
}

/* ---- socket objects --------------------------------------------------------- */

static struct socket *sock_alloc(void)
{
	struct socket_alloc *sa;

	trace_enter(TP_SOCK_ALLOC);
	sa = kmem_cache_alloc(sock_inode_cachep, GFP_KERNEL);
	if (sa) {
		sa->socket = (struct socket){ .state = SS_FREE };
		__atomic_store_n(&sa->file.f_count, 0, __ATOMIC_RELAXED);
	}
	trace_exit(TP_SOCK_ALLOC, sa ? 0 : -ENFILE);
	return sa ? &sa->socket : NULL;
}

void sock_release(struct socket *sock)
{
	struct socket_alloc *sa = caa_container_of(sock, struct socket_alloc, socket);

	trace_enter(TP_SOCK_RELEASE);
	if (sock->ops) {
		struct module *owner = sock->ops->owner;

		sock->ops->release(sock);
		sock->sk = NULL;
		sock->ops = NULL;
		module_put(owner);
	}
	sock->file = NULL;
	kmem_cache_free(sock_inode_cachep, sa);
	trace_exit(TP_SOCK_RELEASE, 0);
}

/* The file's last reference: the socket goes with it (sock_close). */
static void sock_file_release(struct file *file)
{
	file_accounting_dec();
	sock_release(file->private_data);
}

static const struct file_operations socket_file_ops = {
	.release = sock_file_release,
};

static void sock_file_init(struct socket *sock, int flags)
{
	struct socket_alloc *sa = caa_container_of(sock, struct socket_alloc, socket);

	file_init(&sa->file, &socket_file_ops, O_RDWR | (flags & O_NONBLOCK), sock);
	sock->file = &sa->file;
}

int sock_map_fd(struct socket *sock, int flags)
{
	int fd;

	trace_enter(TP_FD_INSTALL);
	sock_file_init(sock, flags);
	fd = fd_install_new(__current_files(), sock->file, 0,
			    !!(flags & O_CLOEXEC), true);
	if (fd < 0)
		sock->file = NULL;
	trace_exit(TP_FD_INSTALL, fd < 0 ? fd : 0);
	return fd;
}

/* ---- __sock_create ----------------------------------------------------------- */

static void warn_obsolete_packet(void)
{
	static int warned;
	char comm[16] = "?";

	if (__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	pthread_getname_np(pthread_self(), comm, sizeof(comm));
	fprintf(stderr, "sockcore: %s uses obsolete (PF_INET,SOCK_PACKET)\n", comm);
}

/* Read the family under RCU and pin its module: the family, or NULL. */
static const struct net_proto_family *get_family(int family)
{
	const struct net_proto_family *pf;

	trace_enter(TP_FAMILY_LOOKUP);
	rcu_read_lock();
	pf = rcu_dereference(net_families[family]);
	if (pf && !try_module_get(pf->owner))
		pf = NULL;	/* its module is going away */
	rcu_read_unlock();
	trace_exit(TP_FAMILY_LOOKUP, pf ? 0 : -EAFNOSUPPORT);
	return pf;
}

static int pf_create(const struct net_proto_family *pf, struct net *net,
		struct socket *sock, int protocol, int kern)
{
	int err;

	trace_enter(TP_PF_CREATE);
	err = pf->create(net, sock, protocol, kern);
	trace_exit(TP_PF_CREATE, err);
	return err;
}

int __sock_create(struct net *net, int family, int type, int protocol,
		struct socket **res, int kern)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	err = sockcore_ensure_init();
	if (err)
		return err;

	/* Compatibility: the kernel moved this here from the INET layer. */
	if (family == PF_INET && type == SOCK_PACKET) {
		warn_obsolete_packet();
		family = PF_PACKET;
	}

	err = lsm_socket_create(family, type, protocol, kern);
	if (err)
		return err;

	sock = sock_alloc();
	if (!sock)
		return -ENFILE;	/* the kernel's "closest posix thing" */
	sock->type = (short)type;

	if (!rcu_access_pointer(net_families[family]))
		request_module("net-pf-%d", family);

	pf = get_family(family);
	err = -EAFNOSUPPORT;
	if (!pf)
		goto out_sock_release;

	err = pf_create(pf, net, sock, protocol, kern);
	if (err < 0)
		goto out_module_put;

	/* The socket now pins the module of its ops, until sock_release(). */
	if (!try_module_get(sock->ops->owner))
		goto out_module_busy;
	module_put(pf->owner);

	err = lsm_socket_post_create(sock, family, type, protocol, kern);
	if (err)
		goto out_sock_release;
	*res = sock;
	return 0;

out_module_busy:
	/*
	 * Unlike the kernel, which drops sock->ops here and so never releases
	 * the sock that create() made, release it: a failure leaves nothing.
	 */
	err = -EAFNOSUPPORT;
	sock->ops->release(sock);
	sock->sk = NULL;
out_module_put:
	sock->ops = NULL;
	module_put(pf->owner);
out_sock_release:
	sock_release(sock);
	return err;
}

int sock_create(int family, int type, int protocol, struct socket **res)
{
	int err;

	trace_enter(TP_SOCK_CREATE);
	err = __sock_create(__current_net(), family, type, protocol, res, 0);
	trace_exit(TP_SOCK_CREATE, err);
	return err;
}

int sock_create_kern(struct net *net, int family, int type, int protocol,
		struct socket **res)
{
	return __sock_create(net, family, type, protocol, res, 1);
}

int sock_no_socketpair(struct socket *sock1, struct socket *sock2)
{
	return -EOPNOTSUPP;
}

/* ---- system calls --------------------------------------------------------------- */

/* Split @type into the type and its flags: the flags, or -EINVAL. */
static int sock_type_flags(int *type)
{
	int flags = *type & ~SOCK_TYPE_MASK;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	*type &= SOCK_TYPE_MASK;
	return flags;
}

int sys_socket(int family, int type, int protocol)
{
	struct socket *sock;
	int flags, retval;

	trace_enter(TP_SYS_SOCKET);
	retval = flags = sock_type_flags(&type);
	if (flags < 0)
		goto out;
	retval = sock_create(family, type, protocol, &sock);
	if (retval < 0)
		goto out;
	retval = sock_map_fd(sock, flags & (O_CLOEXEC | O_NONBLOCK));
	if (retval < 0)
		sock_release(sock);	/* "argument errors still win" */
out:
	trace_exit(TP_SYS_SOCKET, retval < 0 ? retval : 0);
	return retval;
}

/* Both sockets of a pair are created, joined by the family, given files
 * and then descriptors reserved up front: all or nothing. */
static int socketpair_create(int family, int type, int protocol, int flags,
		struct socket **sock1, struct socket **sock2)
{
	int err;

	err = sock_create(family, type, protocol, sock1);
	if (err < 0)
		return err;
	err = sock_create(family, type, protocol, sock2);
	if (err < 0)
		goto out_release_1;
	err = (*sock1)->ops->socketpair(*sock1, *sock2);
	if (err < 0)
		goto out_release_both;
	err = file_account_new();
	if (err)
		goto out_release_both;
	err = file_account_new();
	if (err)
		goto out_unaccount;
	sock_file_init(*sock1, flags);
	sock_file_init(*sock2, flags);
	return 0;

out_unaccount:
	file_accounting_dec();
out_release_both:
	sock_release(*sock2);
out_release_1:
	sock_release(*sock1);
	return err;
}

int sys_socketpair(int family, int type, int protocol, int usockvec[2])
{
	struct files_struct *files;
	struct socket *sock1, *sock2;
	int flags, fd1, fd2, err;

	trace_enter(TP_SYS_SOCKETPAIR);
	err = flags = sock_type_flags(&type);
	if (flags < 0)
		goto out;
	err = sockcore_ensure_init();
	if (err)
		goto out;
	files = __current_files();
	/* As the kernel: reserve both descriptors before anything else, so
	 * a full table (EMFILE) and a bad array (EFAULT) come first. */
	err = fd1 = get_unused_fd_flags(files, !!(flags & O_CLOEXEC));
	if (fd1 < 0)
		goto out;
	err = fd2 = get_unused_fd_flags(files, !!(flags & O_CLOEXEC));
	if (fd2 < 0)
		goto out_put_1;
	/* the numbers reach the caller before the sockets exist, so a
	 * failure below still leaves them in the array, as the kernel's
	 * put_user()s do */
	err = -EFAULT;
	if (!usockvec)
		goto out_put_both;
	usockvec[0] = fd1;
	usockvec[1] = fd2;
	err = socketpair_create(family, type, protocol, flags, &sock1, &sock2);
	if (err)
		goto out_put_both;
	fd_install(files, fd1, sock1->file);
	fd_install(files, fd2, sock2->file);
	goto out;

out_put_both:
	put_unused_fd(files, fd2);
out_put_1:
	put_unused_fd(files, fd1);
out:
	trace_exit(TP_SYS_SOCKETPAIR, err);
	return err;
}

int sys_close(int fd)
{
	int err;

	trace_enter(TP_SYS_CLOSE);
	err = sockcore_initialised() ? close_fd(__current_files(), fd) : -EBADF;
	trace_exit(TP_SYS_CLOSE, err);
	return err;
}

struct socket *sockfd_lookup(int fd, int *err)
{
	struct file *file;

	file = sockcore_initialised() ? fget(__current_files(), fd) : NULL;
	if (!file) {
		*err = -EBADF;
		return NULL;
	}
	if (file->f_op != &socket_file_ops) {
		*err = -ENOTSOCK;
		fput(file);
		return NULL;
	}
	return file->private_data;
}

void sockfd_put(struct socket *sock)
{
	fput(sock->file);
}

int sys_getsockopt(int fd, int level, int optname, void *optval,
		socklen_t *optlen)
{
	struct socket *sock;
	int err = 0;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return err;
	if (level == SOL_SOCKET)
		err = sk_getsockopt(sock->sk, optname, optval, optlen);
	else if (!sock->ops->getsockopt)
		err = -EOPNOTSUPP;
	else
		err = sock->ops->getsockopt(sock, level, optname, optval, optlen);
	sockfd_put(sock);
	return err;
}

/* ---- init ------------------------------------------------------------------------- */

int sock_init(void)
{
	if (sock_inode_cachep)
		return 0;
	/*
	 * Not SLAB_HWCACHE_ALIGN, unlike the kernel's: our socket_alloc is
	 * 72 bytes, and cache-line alignment would round it to 128, 2-5% of
	 * the memory a live socket costs (the kernel's is ~700 bytes with
	 * its inode). Neighbouring sockets may share a line; only f_count
	 * is written after creation, by lookups (docs/kernel-mapping.md).
	 */
	sock_inode_cachep = kmem_cache_create("sock_inode_cache",
			sizeof(struct socket_alloc), 0,
			SLAB_TYPESAFE_BY_RCU, NULL);
	return sock_inode_cachep ? 0 : -ENOMEM;
}

void sock_exit(void)
{
	kmem_cache_destroy(sock_inode_cachep);
	sock_inode_cachep = NULL;
	for (int i = 0; i < NPROTO; i++)
		net_families[i] = NULL;
}
