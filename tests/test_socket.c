/* SPDX-License-Identifier: MIT */
/*
 * test_socket - the core system calls (sys_socket, sys_socketpair,
 * sys_close, sys_fcntl, sys_getsockopt) and the kernel-side entry points
 * (__sock_create, sock_create, sock_create_kern, sock_release,
 * sockfd_lookup/sockfd_put): every errno of the core path and its order,
 * descriptor flags, full tables (EMFILE, ENFILE) with nothing leaked, and
 * shutdown followed by reuse. Where the machine's kernel answers the same
 * question, its answer is the expectation.
 *
 * Each test runs in a fresh descriptor table of its own (setup/teardown),
 * so descriptor numbers are predictable and a failing test leaves nothing
 * open for the next.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "test_util.h"

#ifndef AF_AX25
#define AF_AX25 3
#endif

static bool have_cap(int cap)
{
	return (sc_real_caps() >> cap) & 1;
}

/* ---- sys_socket: the order of the argument checks ---------------------- */

static void test_unknown_flags_before_family(void **state)
{
	(void)state;
	/* any bit outside the type mask but CLOEXEC/NONBLOCK: EINVAL, even
	 * when the family is bad too */
	assert_int_equal(sys_socket(1000, SOCK_STREAM | 0x40000000, 0), -EINVAL);
	assert_int_equal(sys_socket(-1, SOCK_DGRAM | 0x100, 0), -EINVAL);
	assert_int_equal(sys_socket(AF_MAX, SOCK_STREAM | 0x10, 0), -EINVAL);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | 0x20, 0),
			 -EINVAL);
	/* the kernel agrees */
	assert_int_equal(kernel_socket_errno(1000, SOCK_STREAM | 0x40000000, 0), EINVAL);
	assert_int_equal(kernel_socket_errno(-1, SOCK_DGRAM | 0x100, 0), EINVAL);
	assert_int_equal(files_count(current_files()), 0);
}

static void test_bad_family(void **state)
{
	static const int families[] = { -1, AF_MAX, NPROTO, 1000, INT_MIN, INT_MAX };

	(void)state;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		int f = families[i];

		assert_int_equal(sys_socket(f, SOCK_STREAM, 0), -EAFNOSUPPORT);
		/* the family check beats a bad type */
		assert_int_equal(sys_socket(f, 11, 0), -EAFNOSUPPORT);
		assert_int_equal(sys_socket(f, 15, 0), -EAFNOSUPPORT);
		assert_int_equal(kernel_socket_errno(f, 15, 0), EAFNOSUPPORT);
	}
	assert_int_equal(files_count(current_files()), 0);
}

static void test_unregistered_family(void **state)
{
	(void)state;
	assert_false(sock_is_registered(AF_AX25));
	assert_int_equal(sys_socket(AF_AX25, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(AF_AX25, SOCK_SEQPACKET, 0), -EAFNOSUPPORT);
	/* the type check comes before the family table */
	assert_int_equal(sys_socket(AF_AX25, 11, 0), -EINVAL);
	assert_int_equal(sys_socket(AF_AX25, 15, 0), -EINVAL);
	assert_int_equal(kernel_socket_errno(AF_AX25, 15, 0), EINVAL);
	/* and with autoload off too */
	sockcore_module_autoload(false);
	assert_int_equal(sys_socket(AF_AX25, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	sockcore_module_autoload(true);
}

static void test_bad_type(void **state)
{
	static const int types[] = { 11, 12, 15 };

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_int_equal(sys_socket(AF_INET, types[i], 0), -EINVAL);
		assert_int_equal(sys_socket(AF_UNIX, types[i], 0), -EINVAL);
		assert_int_equal(kernel_socket_errno(AF_INET, types[i], 0), EINVAL);
	}
	/* -1 has every flag bit set: the flag check answers */
	assert_int_equal(sys_socket(AF_INET, -1, 0), -EINVAL);
	assert_int_equal(kernel_socket_errno(AF_INET, -1, 0), EINVAL);
	assert_int_equal(files_count(current_files()), 0);
}

static void test_inet_sock_packet_is_packet(void **state)
{
	int fd, kfd;

	(void)state;
	if (!have_cap(CAP_NET_RAW))
		skip();
	fd = sys_socket(PF_INET, SOCK_PACKET, 0);
	assert_true(fd >= 0);
	kfd = socket(PF_INET, SOCK_PACKET, 0);
	assert_true(kfd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), AF_PACKET);
	assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN),
			 kernel_getsockopt_int(kfd, SO_DOMAIN));
	assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), SOCK_PACKET);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL),
			 kernel_getsockopt_int(kfd, SO_PROTOCOL));
	close(kfd);
	assert_int_equal(sys_close(fd), 0);
	/* the rewrite happens before the packet family's permission check */
	sc_cred_drop_cap(CAP_NET_RAW);
	assert_int_equal(sys_socket(PF_INET, SOCK_PACKET, 0), -EPERM);
}

/* ---- descriptors and their flags ------------------------------------------ */

static void test_cloexec_nonblock(void **state)
{
	static const int flags[] = { 0, SOCK_CLOEXEC, SOCK_NONBLOCK,
				     SOCK_CLOEXEC | SOCK_NONBLOCK };

	(void)state;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		int fd = sys_socket(AF_INET, SOCK_STREAM | flags[i], 0);
		int kfd = socket(AF_INET, SOCK_STREAM | flags[i], 0);
		struct sockcore_fdinfo info;

		assert_true(fd >= 0);
		assert_true(kfd >= 0);
		assert_int_equal(sys_fcntl(fd, F_GETFD, 0),
				 (flags[i] & SOCK_CLOEXEC) ? FD_CLOEXEC : 0);
		assert_int_equal(sys_fcntl(fd, F_GETFL, 0),
				 O_RDWR | ((flags[i] & SOCK_NONBLOCK) ? O_NONBLOCK : 0));
		/* exactly what the kernel reports for the same call */
		assert_int_equal(sys_fcntl(fd, F_GETFD, 0), fcntl(kfd, F_GETFD));
		assert_int_equal(sys_fcntl(fd, F_GETFL, 0), fcntl(kfd, F_GETFL));
		/* the flags never leak into the socket type */
		assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), SOCK_STREAM);
		assert_int_equal(sockcore_fdinfo(fd, &info), 0);
		assert_int_equal(info.cloexec, !!(flags[i] & SOCK_CLOEXEC));
		assert_int_equal(info.flags, (unsigned int)sys_fcntl(fd, F_GETFL, 0));
		close(kfd);
		assert_int_equal(sys_close(fd), 0);
	}
}

static void test_lowest_free_descriptor(void **state)
{
	int fd[5];

	(void)state;
	for (int i = 0; i < 5; i++) {
		fd[i] = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
		assert_int_equal(fd[i], i);
	}
	assert_int_equal(sys_close(1), 0);
	assert_int_equal(sys_close(3), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 1);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 3);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 5);
	assert_int_equal(sys_close(0), 0);
	/* a failed creation does not consume a number */
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 17), -EPROTONOSUPPORT);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), 0);
	assert_int_equal(files_count(current_files()), 6);
}

static void test_close(void **state)
{
	int fd;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sys_close(fd), -EBADF);
	assert_int_equal(sys_close(-1), -EBADF);
	assert_int_equal(sys_close(INT_MIN), -EBADF);
	assert_int_equal(sys_close(INT_MAX), -EBADF);
	assert_int_equal(sys_close(1 << 20), -EBADF);
	assert_int_equal(sys_close(63), -EBADF);
	assert_int_equal(sys_close(64), -EBADF);
	assert_int_equal(files_count(current_files()), 0);
}

/* ---- fcntl ----------------------------------------------------------------- */

static void test_fcntl_dupfd(void **state)
{
	int fd, d1, d2, d3;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_int_equal(fd, 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 1);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 2);
	/* lowest free at or above arg; a duplicate never inherits cloexec */
	d1 = sys_fcntl(fd, F_DUPFD, 0);
	assert_int_equal(d1, 3);
	assert_int_equal(sys_fcntl(d1, F_GETFD, 0), 0);
	d2 = sys_fcntl(fd, F_DUPFD, 10);
	assert_int_equal(d2, 10);
	d3 = sys_fcntl(fd, F_DUPFD_CLOEXEC, 10);
	assert_int_equal(d3, 11);
	assert_int_equal(sys_fcntl(d3, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(sys_fcntl(fd, F_DUPFD_CLOEXEC, 1), 4);
	assert_int_equal(sys_fcntl(4, F_GETFD, 0), FD_CLOEXEC);
	/* the duplicates share the file: status flags are seen by all */
	assert_int_equal(sys_fcntl(d2, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	assert_int_equal(sys_fcntl(d3, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	assert_int_equal(sys_fcntl(1, F_GETFL, 0), O_RDWR);	/* another file */
	/* ... but descriptor flags are per descriptor */
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	/* the file lives while a duplicate does; one socket in use */
	long before = sock_inuse_get(current_net());
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sys_close(d1), 0);
	assert_int_equal(sys_close(d2), 0);
	assert_int_equal(sys_close(4), 0);
	assert_int_equal(sock_inuse_get(current_net()), before);
	assert_int_equal(sc_getsockopt_int(d3, SO_TYPE), SOCK_DGRAM);
	assert_int_equal(sys_close(d3), 0);
	assert_int_equal(sock_inuse_get(current_net()), before - 1);
}

static void test_fcntl_dupfd_limits(void **state)
{
	int fd;

	(void)state;
	assert_int_equal(files_set_limit(current_files(), 8), 0);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(fd, 0);
	assert_int_equal(sys_fcntl(fd, F_DUPFD, -1), -EINVAL);
	assert_int_equal(sys_fcntl(fd, F_DUPFD_CLOEXEC, -1), -EINVAL);
	assert_int_equal(sys_fcntl(fd, F_DUPFD, INT_MAX), -EINVAL);
	/* arg at the limit: EINVAL; below it with no room: EMFILE */
	assert_int_equal(sys_fcntl(fd, F_DUPFD, 8), -EINVAL);
	assert_int_equal(sys_fcntl(fd, F_DUPFD, 7), 7);
	assert_int_equal(sys_fcntl(fd, F_DUPFD, 7), -EMFILE);
	assert_int_equal(sys_fcntl(fd, F_DUPFD, 6), 6);
	assert_int_equal(files_count(current_files()), 3);
	/* the real kernel: EINVAL for a negative or too-large start */
	int kfd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(kfd >= 0);
	assert_int_equal(fcntl(kfd, F_DUPFD, -1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fcntl(kfd, F_DUPFD, INT_MAX), -1);
	assert_int_equal(errno, EINVAL);
	close(kfd);
}

/*
 * The kernel's do_fcntl() takes the argument of F_DUPFD as an int
 * (argi = (int)arg), so on a 64-bit machine
 * fcntl(fd, F_DUPFD, (1L << 32) + 9) duplicates to 9.
 */
static void test_fcntl_dupfd_truncates_arg(void **state)
{
	long arg = (1L << 32) + 9;
	int fd, kfd, kdup;

	(void)state;
	kfd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(kfd >= 0);
	kdup = fcntl(kfd, F_DUPFD, arg);
	assert_true(kdup >= 9);
	close(kdup);
	close(kfd);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(fd, 0);
	assert_int_equal(sys_fcntl(fd, F_DUPFD, arg), 9);
}

static void test_fcntl_setfd(void **state)
{
	int fd = sys_socket(AF_INET, SOCK_DGRAM, 0);

	(void)state;
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), 0);
	assert_int_equal(sys_fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	/* only the FD_CLOEXEC bit counts, as in the kernel */
	assert_int_equal(sys_fcntl(fd, F_SETFD, 2), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), 0);
	assert_int_equal(sys_fcntl(fd, F_SETFD, 3), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(sys_fcntl(fd, F_SETFD, 0), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), 0);
	/* status flags are untouched by F_SETFD */
	assert_int_equal(sys_fcntl(fd, F_GETFL, 0), O_RDWR);
}

/* F_SETFL values compared with the kernel's fcntl on a real socket. */
static void test_fcntl_setfl_vs_kernel(void **state)
{
	static const long values[] = {
		0, O_NONBLOCK, 0x40000000 | O_NONBLOCK, 0x100, O_DIRECT,
		O_DIRECT | O_NONBLOCK, O_APPEND, O_NOATIME, O_ASYNC,
		O_CREAT | O_TRUNC | O_WRONLY, O_RDONLY, O_ACCMODE, -1L,
		O_APPEND | O_NONBLOCK, 0,
	};
	int fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	int kfd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_true(kfd >= 0);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int kr = fcntl(kfd, F_SETFL, values[i]);
		int kerr = kr < 0 ? -errno : kr;
		int r = sys_fcntl(fd, F_SETFL, values[i]);

		if (r != kerr)
			fail_msg("F_SETFL %#lx: library %d, kernel %d", values[i],
				 r, kerr);
		if (sys_fcntl(fd, F_GETFL, 0) != fcntl(kfd, F_GETFL))
			fail_msg("F_GETFL after F_SETFL %#lx: library %#x, "
				 "kernel %#x", values[i], sys_fcntl(fd, F_GETFL, 0),
				 fcntl(kfd, F_GETFL));
	}
	/* O_NONBLOCK toggles */
	assert_int_equal(sys_fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	assert_int_equal(sys_fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFL, 0), O_RDWR);
	close(kfd);
}

static void test_fcntl_errors(void **state)
{
	int fd = sys_socket(AF_INET, SOCK_DGRAM, 0);

	(void)state;
	assert_int_equal(sys_fcntl(fd, 9999, 0), -EINVAL);
	assert_int_equal(sys_fcntl(fd, -1, 0), -EINVAL);
	/* a bad descriptor is noticed before a bad command */
	assert_int_equal(sys_fcntl(-1, 9999, 0), -EBADF);
	assert_int_equal(sys_fcntl(-1, F_GETFD, 0), -EBADF);
	assert_int_equal(sys_fcntl(fd + 1, F_GETFL, 0), -EBADF);
	assert_int_equal(sys_fcntl(INT_MAX, F_DUPFD, 0), -EBADF);
	assert_int_equal(sys_fcntl(1 << 20, F_SETFD, 1), -EBADF);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), -EBADF);
	assert_int_equal(sys_fcntl(fd, F_SETFL, 0), -EBADF);
	/* the kernel agrees on the order */
	assert_int_equal(fcntl(-1, 9999, 0), -1);
	assert_int_equal(errno, EBADF);
}

/* ---- getsockopt --------------------------------------------------------------- */

struct triple {
	int family, type, protocol;
	bool needs_raw;
};

static const struct triple triples[] = {
	{ AF_INET, SOCK_STREAM, 0, false },
	{ AF_INET, SOCK_STREAM, IPPROTO_TCP, false },
	{ AF_INET, SOCK_DGRAM, 0, false },
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDP, false },
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP, true },
	{ AF_INET, SOCK_RAW, IPPROTO_RAW, true },
	{ AF_INET6, SOCK_STREAM, 0, false },
	{ AF_INET6, SOCK_DGRAM, 0, false },
	{ AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, true },
	{ AF_UNIX, SOCK_STREAM, 0, false },
	{ AF_UNIX, SOCK_DGRAM, 0, false },
	{ AF_UNIX, SOCK_SEQPACKET, 0, false },
	{ AF_UNIX, SOCK_RAW, 0, false },
	{ AF_PACKET, SOCK_RAW, 0, true },
	{ AF_PACKET, SOCK_DGRAM, 768, true },
	{ AF_NETLINK, SOCK_RAW, 0, false },
	{ AF_NETLINK, SOCK_DGRAM, 0, false },
};

/* SO_DOMAIN, SO_TYPE, SO_PROTOCOL, SO_REUSEADDR, SO_RCVBUF, SO_SNDBUF
 * as the kernel gives them for the same triple. */
static void test_getsockopt_vs_kernel(void **state)
{
	static const int opts[] = { SO_DOMAIN, SO_TYPE, SO_PROTOCOL,
				    SO_REUSEADDR, SO_RCVBUF, SO_SNDBUF };
	static const char *const names[] = { "SO_DOMAIN", "SO_TYPE",
		"SO_PROTOCOL", "SO_REUSEADDR", "SO_RCVBUF", "SO_SNDBUF" };
	bool raw = have_cap(CAP_NET_RAW);

	(void)state;
	for (size_t i = 0; i < sizeof(triples) / sizeof(triples[0]); i++) {
		const struct triple *t = &triples[i];
		int fd, kfd;

		if (t->needs_raw && !raw)
			continue;
		kfd = socket(t->family, t->type, t->protocol);
		if (kfd < 0)
			continue;	/* not built into this kernel */
		fd = sys_socket(t->family, t->type, t->protocol);
		if (fd < 0)
			fail_msg("(%d, %d, %d): library %d, kernel succeeds",
				 t->family, t->type, t->protocol, fd);
		for (size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
			int v = sc_getsockopt_int(fd, opts[o]);
			int kv = kernel_getsockopt_int(kfd, opts[o]);

			if (v != kv)
				fail_msg("(%d, %d, %d) %s: library %d, kernel %d",
					 t->family, t->type, t->protocol,
					 names[o], v, kv);
		}
		close(kfd);
		assert_int_equal(sys_close(fd), 0);
	}
}

/* SO_RCVBUF/SO_SNDBUF come from the namespace's sysctls. */
static void test_getsockopt_buffers_from_sysctl(void **state)
{
	struct net *net = net_create();
	int fd;

	(void)state;
	assert_non_null(net);
	net->sysctl.rmem_default = 4096 * 3;
	net->sysctl.wmem_default = 4096 * 5;
	net->sysctl.tcp_rmem[1] = 4096 * 7;
	net->sysctl.tcp_wmem[1] = 4096 * 11;
	sockcore_switch_net(net);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_RCVBUF), 4096 * 3);
	assert_int_equal(sc_getsockopt_int(fd, SO_SNDBUF), 4096 * 5);
	assert_int_equal(sys_close(fd), 0);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_RCVBUF), 4096 * 7);
	assert_int_equal(sc_getsockopt_int(fd, SO_SNDBUF), 4096 * 11);
	assert_int_equal(sys_close(fd), 0);
	sockcore_switch_net(NULL);
	put_net(net);
	/* init_net: the machine's net.core defaults */
	fd = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_RCVBUF), init_net.sysctl.rmem_default);
	assert_int_equal(sc_getsockopt_int(fd, SO_SNDBUF), init_net.sysctl.wmem_default);
}

static void test_getsockopt_lengths(void **state)
{
	unsigned char buf[8], kbuf[8];
	socklen_t len, klen;
	int fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	int kfd = socket(AF_INET, SOCK_DGRAM, 0);
	int v;

	(void)state;
	assert_true(fd >= 0);
	assert_true(kfd >= 0);
	/* NULL optlen */
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, NULL), -EFAULT);
	/* negative length */
	len = (socklen_t)-1;
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), -EINVAL);
	klen = (socklen_t)-1;
	assert_int_equal(getsockopt(kfd, SOL_SOCKET, SO_TYPE, &v, &klen), -1);
	assert_int_equal(errno, EINVAL);
	/* short length: copies that many bytes and says so, like the kernel */
	memset(buf, 0xaa, sizeof(buf));
	memset(kbuf, 0xaa, sizeof(kbuf));
	len = klen = 2;
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, buf, &len), 0);
	assert_int_equal(getsockopt(kfd, SOL_SOCKET, SO_TYPE, kbuf, &klen), 0);
	assert_int_equal(len, 2);
	assert_int_equal(len, klen);
	assert_memory_equal(buf, kbuf, sizeof(buf));	/* bytes 2.. untouched */
	/* a longer buffer: 4 bytes and *optlen = 4 */
	len = klen = 8;
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, buf, &len), 0);
	assert_int_equal(getsockopt(kfd, SOL_SOCKET, SO_TYPE, kbuf, &klen), 0);
	assert_int_equal(len, sizeof(int));
	assert_int_equal(len, klen);
	assert_memory_equal(buf, kbuf, sizeof(buf));
	/* NULL optval: fine with length 0, EFAULT with 4 */
	len = 0;
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, NULL, &len), 0);
	assert_int_equal(len, 0);
	len = 4;
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, NULL, &len), -EFAULT);
	klen = 4;
	assert_int_equal(getsockopt(kfd, SOL_SOCKET, SO_TYPE, NULL, &klen), -1);
	assert_int_equal(errno, EFAULT);
	close(kfd);
}

static void test_getsockopt_errors(void **state)
{
	int fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	int ufd = sys_socket(AF_UNIX, SOCK_STREAM, 0);
	socklen_t len = sizeof(int);
	int v;

	(void)state;
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, 9999, &v, &len), -ENOPROTOOPT);
	/* an option the kernel has but the library does not answer */
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len),
			 -ENOPROTOOPT);
	/*
	 * The library answers SOL_SOCKET only: other levels go to the
	 * family's getsockopt, which no built-in family has, so EOPNOTSUPP
	 * (the kernel would answer SOL_IP IP_TTL; an unknown level is
	 * EOPNOTSUPP in both).
	 */
	assert_int_equal(sys_getsockopt(fd, SOL_IP, IP_TTL, &v, &len), -EOPNOTSUPP);
	assert_int_equal(sys_getsockopt(fd, 12345, 1, &v, &len), -EOPNOTSUPP);
	assert_int_equal(sys_getsockopt(ufd, 12345, 1, &v, &len), -EOPNOTSUPP);
	int kfd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(getsockopt(kfd, 12345, 1, &v, &len), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	close(kfd);
	/* bad descriptors */
	assert_int_equal(sys_getsockopt(-1, SOL_SOCKET, SO_TYPE, &v, &len), -EBADF);
	assert_int_equal(sys_getsockopt(INT_MAX, SOL_SOCKET, SO_TYPE, &v, &len), -EBADF);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), -EBADF);
	/* EBADF beats the other argument errors */
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, NULL), -EBADF);
}

/* ---- full tables --------------------------------------------------------------- */

static void test_emfile_argument_errors_win(void **state)
{
	struct sc_counters before;

	(void)state;
	assert_int_equal(files_set_limit(current_files(), 3), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(sys_socket(AF_UNIX, SOCK_STREAM, 0), i);
	before = sc_counters_now();
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -EMFILE);
	assert_counters_equal(sc_counters_now(), before);
	assert_int_equal(sys_socket(AF_INET6, SOCK_DGRAM, 0), -EMFILE);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), -EMFILE);
	assert_int_equal(sys_socket(AF_NETLINK, SOCK_RAW, 0), -EMFILE);
	assert_counters_equal(sc_counters_now(), before);
	/* argument errors come back as such */
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM | 0x40000000, 0), -EINVAL);
	assert_int_equal(sys_socket(AF_INET, 11, 0), -EINVAL);
	assert_int_equal(sys_socket(1000, SOCK_STREAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 17), -EPROTONOSUPPORT);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), -EACCES);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_STREAM, 2), -EPROTONOSUPPORT);
	assert_int_equal(sys_socket(AF_INET6, SOCK_PACKET, 0), -ESOCKTNOSUPPORT);
	assert_counters_equal(sc_counters_now(), before);
	/* socketpair: with no free descriptor and with one */
	int sv[2] = { -7, -7 };
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), -EMFILE);
	assert_int_equal(sv[0], -7);
	assert_int_equal(sys_close(2), 0);
	before = sc_counters_now();
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), -EMFILE);
	assert_int_equal(sv[0], -7);
	assert_counters_equal(sc_counters_now(), before);
	/* the freed number is still the lowest */
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 2);
	/* raising the limit makes room again */
	assert_int_equal(files_set_limit(current_files(), 5), 0);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(sv[0], 3);
	assert_int_equal(sv[1], 4);
}

static void test_enfile(void **state)
{
	unsigned long saved = sockcore_get_file_max();
	struct sc_counters before;
	int fd, sv[2];

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	sockcore_set_file_max(sockcore_nr_files());
	assert_int_equal(sockcore_get_file_max(), sockcore_nr_files());
	/* without CAP_SYS_ADMIN: ENFILE, after the argument checks */
	sc_cred_drop_cap(CAP_SYS_ADMIN);
	before = sc_counters_now();
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), -ENFILE);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_STREAM, 0), -ENFILE);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), -ENFILE);
	assert_int_equal(sys_socket(1000, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 6), -EPROTONOSUPPORT);
	assert_counters_equal(sc_counters_now(), before);
	/* duplicating does not open a file: not limited */
	int d = sys_fcntl(fd, F_DUPFD, 0);
	assert_true(d >= 0);
	assert_int_equal(sys_close(d), 0);
	/* one file short of two for a pair: nothing left behind */
	sockcore_set_file_max(sockcore_nr_files() + 1);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), -ENFILE);
	assert_counters_equal(sc_counters_now(), before);
	sockcore_set_file_max(sockcore_nr_files());
	/* with CAP_SYS_ADMIN the limit does not apply */
	assert_int_equal(sockcore_cred_refresh(), 0);
	if (capable(CAP_SYS_ADMIN)) {
		int fd2 = sys_socket(AF_INET, SOCK_DGRAM, 0);

		assert_true(fd2 >= 0);
		assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		assert_int_equal(sys_close(sv[0]), 0);
		assert_int_equal(sys_close(sv[1]), 0);
		assert_int_equal(sys_close(fd2), 0);
	}
	sockcore_set_file_max(saved);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), fd);
}

/* ---- socketpair ---------------------------------------------------------------- */

static void test_socketpair(void **state)
{
	struct sc_counters before = sc_counters_now();
	int sv[2] = { -7, -7 };

	(void)state;
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, NULL), -EFAULT);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM | 0x40000000, 0, NULL),
			 -EINVAL);
	assert_int_equal(sys_socketpair(AF_INET, SOCK_STREAM, 0, sv), -EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_INET, SOCK_DGRAM, 0, sv), -EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_INET6, SOCK_STREAM, 0, sv), -EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_NETLINK, SOCK_RAW, 0, sv), -EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 5, sv), -EPROTONOSUPPORT);
	assert_int_equal(sys_socketpair(1000, SOCK_STREAM, 0, sv), -EAFNOSUPPORT);
	assert_counters_equal(sc_counters_now(), before);
	/* the kernel agrees on the errors */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, NULL), -1);
	assert_int_equal(errno, EFAULT);
	assert_int_equal(socketpair(AF_INET, SOCK_STREAM, 0, sv), -1);
	assert_int_equal(errno, EOPNOTSUPP);

	/* success: the two lowest descriptors, both with the flags */
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
					SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(sv[0], 0);
	assert_int_equal(sv[1], 1);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sys_fcntl(sv[i], F_GETFD, 0), FD_CLOEXEC);
		assert_int_equal(sys_fcntl(sv[i], F_GETFL, 0), O_RDWR | O_NONBLOCK);
		assert_int_equal(sc_getsockopt_int(sv[i], SO_DOMAIN), AF_UNIX);
		assert_int_equal(sc_getsockopt_int(sv[i], SO_TYPE), SOCK_DGRAM);
	}
	assert_int_equal(files_count(current_files()), before.files + 2);
	assert_int_equal(sock_inuse_get(current_net()), before.inuse + 2);
	assert_int_equal(sys_close(sv[0]), 0);
	assert_int_equal(sys_close(sv[1]), 0);
	assert_counters_equal(sc_counters_now(), before);
}

/*
 * The kernel's __sys_socketpair() writes both reserved descriptor numbers
 * into the array (put_user) before it creates the sockets, so a pair that
 * then fails (EOPNOTSUPP for AF_INET, EPROTONOSUPPORT, ...) still leaves
 * the numbers in usockvec.
 */
static void test_socketpair_writes_array_before_create(void **state)
{
	int sv[2] = { -7, -7 }, ksv[2] = { -7, -7 };

	(void)state;
	assert_int_equal(socketpair(AF_INET, SOCK_STREAM, 0, ksv), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_true(ksv[0] >= 0 && ksv[1] >= 0);	/* the kernel wrote them */
	assert_int_equal(sys_socketpair(AF_INET, SOCK_STREAM, 0, sv), -EOPNOTSUPP);
	assert_int_equal(sv[0], 0);
	assert_int_equal(sv[1], 1);
}

/* ---- the kernel-side entry points ---------------------------------------------- */

static void test_sock_create_release(void **state)
{
	struct sc_counters before = sc_counters_now();
	struct socket *sock = NULL;

	(void)state;
	assert_int_equal(sock_create(AF_INET, SOCK_STREAM, 0, &sock), 0);
	assert_non_null(sock);
	assert_non_null(sock->sk);
	assert_non_null(sock->ops);
	assert_null(sock->file);	/* no descriptor */
	assert_int_equal(sock->type, SOCK_STREAM);
	assert_int_equal(sock->state, SS_UNCONNECTED);
	assert_int_equal(sock->sk->sk_family, AF_INET);
	assert_int_equal(sock->sk->sk_protocol, IPPROTO_TCP);
	assert_ptr_equal(sock->sk->sk_socket, sock);
	assert_ptr_equal(sock_net(sock->sk), current_net());
	assert_int_equal(sock->sk->sk_kern_sock, 0);
	assert_int_equal(files_count(current_files()), before.files);
	assert_int_equal(sock_inuse_get(current_net()), before.inuse + 1);
	sock_release(sock);
	assert_counters_equal(sc_counters_now(), before);

	/* errors leave *res alone and nothing behind */
	sock = NULL;
	assert_int_equal(sock_create(AF_INET, SOCK_DGRAM, 6, &sock), -EPROTONOSUPPORT);
	assert_int_equal(sock_create(-1, SOCK_DGRAM, 0, &sock), -EAFNOSUPPORT);
	assert_int_equal(sock_create(AF_INET, 11, 0, &sock), -EINVAL);
	assert_null(sock);
	assert_counters_equal(sc_counters_now(), before);

	/* a mapped socket: sock_map_fd gives it the lowest descriptor */
	assert_int_equal(sock_create(AF_UNIX, SOCK_STREAM, 0, &sock), 0);
	assert_int_equal(sock_map_fd(sock, O_CLOEXEC | O_NONBLOCK), 0);
	assert_non_null(sock->file);
	assert_int_equal(sys_fcntl(0, F_GETFD, 0), FD_CLOEXEC);
	assert_int_equal(sys_fcntl(0, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	assert_int_equal(sys_close(0), 0);
	assert_counters_equal(sc_counters_now(), before);
}

static void test_sock_create_kern_does_not_pin(void **state)
{
	struct net *net = net_create();
	struct socket *ksock, *usock;
	int ref;

	(void)state;
	assert_non_null(net);
	ref = __atomic_load_n(&net->refcnt, __ATOMIC_RELAXED);
	assert_int_equal(ref, 1);
	/* a kernel socket: no reference, not counted as in use */
	assert_int_equal(sock_create_kern(net, AF_INET, SOCK_DGRAM, 0, &ksock), 0);
	assert_int_equal(net->refcnt, ref);
	assert_ptr_equal(sock_net(ksock->sk), net);
	assert_int_equal(ksock->sk->sk_kern_sock, 1);
	assert_int_equal(ksock->sk->sk_net_refcnt, 0);
	assert_int_equal(sock_inuse_get(net), 0);
	/* kernel sockets skip the permission checks */
	struct socket *kraw;
	sc_cred_unprivileged();
	assert_int_equal(sock_create_kern(net, AF_INET, SOCK_RAW, IPPROTO_UDP, &kraw), 0);
	assert_int_equal(sock_create(AF_INET, SOCK_RAW, IPPROTO_UDP, &usock), -EPERM);
	sock_release(kraw);
	assert_int_equal(sockcore_cred_refresh(), 0);
	/* a user socket in the same namespace pins it */
	assert_int_equal(__sock_create(net, AF_INET, SOCK_DGRAM, 0, &usock, 0), 0);
	assert_int_equal(net->refcnt, ref + 1);
	assert_int_equal(usock->sk->sk_net_refcnt, 1);
	assert_int_equal(sock_inuse_get(net), 1);
	sock_release(usock);
	assert_int_equal(net->refcnt, ref);
	assert_int_equal(sock_inuse_get(net), 0);
	sock_release(ksock);
	assert_int_equal(net->refcnt, ref);
	put_net(net);
}

static void test_sockfd_lookup(void **state)
{
	struct sc_counters before = sc_counters_now();
	struct socket *sock;
	int fd, err = 0;

	(void)state;
	fd = sys_socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	sock = sockfd_lookup(fd, &err);
	assert_non_null(sock);
	assert_non_null(sock->file);
	assert_int_equal(sock->type, SOCK_DGRAM);
	assert_int_equal(sock->sk->sk_family, AF_INET6);
	/* a close while the lookup holds its reference: the descriptor goes,
	 * the socket stays until sockfd_put() */
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(files_count(current_files()), before.files);
	assert_int_equal(sock_inuse_get(current_net()), before.inuse + 1);
	assert_int_equal(sock->sk->sk_family, AF_INET6);
	sockfd_put(sock);
	assert_counters_equal(sc_counters_now(), before);

	err = 0;
	assert_null(sockfd_lookup(fd, &err));
	assert_int_equal(err, -EBADF);
	err = 0;
	assert_null(sockfd_lookup(-1, &err));
	assert_int_equal(err, -EBADF);
	err = 0;
	assert_null(sockfd_lookup(INT_MAX, &err));
	assert_int_equal(err, -EBADF);
}

/*
 * Socket + file objects are packed at their own size: the memory a live
 * socket costs stays within 3% of its objects' bytes (issue 7), at the
 * price of neighbours sharing cache lines (docs/kernel-mapping.md, 20).
 */
static void test_sock_inode_cache_packed(void **state)
{
	struct kmem_cache *s;
	struct kmem_cache_stats st;
	int fd;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	s = kmem_cache_find("sock_inode_cache");
	assert_non_null(s);
	assert_int_equal(kmem_cache_get_stats(s, &st), 0);
	assert_true(st.active_objs >= 1);
	assert_true(st.flags & SLAB_TYPESAFE_BY_RCU);
	assert_false(st.flags & SLAB_HWCACHE_ALIGN);
	assert_int_equal(st.size, st.object_size);
	assert_true(st.object_size < 128);
	assert_int_equal(sys_close(fd), 0);
}

/* ---- library life cycle ---------------------------------------------------------- */

static void test_version(void **state)
{
	char want[32];

	(void)state;
	snprintf(want, sizeof(want), "%d.%d.%d", SOCKCORE_VERSION_MAJOR,
		 SOCKCORE_VERSION_MINOR, SOCKCORE_VERSION_PATCH);
	assert_non_null(sockcore_version());
	assert_string_equal(sockcore_version(), want);
}

/* Runs second to last: shutdown closes everything and unregisters. */
static void test_shutdown(void **state)
{
	int fd, sv[2];

	(void)state;
	sc_table_drop();	/* back to the default table */
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_true(sock_is_registered(AF_INET));
	sockcore_shutdown();
	assert_false(sock_is_registered(AF_INET));
	assert_false(sock_is_registered(AF_UNIX));
	assert_int_equal(sockcore_nr_files(), 0);
	/* nothing survives: the old descriptors are gone */
	assert_int_equal(sys_close(fd), -EBADF);
	assert_int_equal(sys_fcntl(sv[0], F_GETFD, 0), -EBADF);
	sockcore_shutdown();	/* idempotent */
}

/*
 * Runs last, after test_shutdown, without setup (which would init):
 * <sockcore/sockcore.h> promises the library may be used again after
 * sockcore_shutdown() (it re-initialises on first use).
 */
static void test_reuse_after_shutdown(void **state)
{
	int fd;

	(void)state;
	/* first use re-initialises */
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(fd, 0);
	assert_true(sock_is_registered(AF_INET));
	assert_true(sock_is_registered(AF_UNIX));
	assert_int_equal(files_count(current_files()), 1);
	assert_int_equal(sock_inuse_get(&init_net), 1);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sock_inuse_get(&init_net), 0);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), 0);
	sockcore_shutdown();
	assert_int_equal(sockcore_init(), 0);
	assert_int_equal(sockcore_init(), 0);
	assert_int_equal(sc_socket_errno(AF_UNIX, SOCK_DGRAM, 0), 0);
	sockcore_shutdown();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, sc_setup_fresh, sc_teardown_fresh)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unknown_flags_before_family),
		T(test_bad_family),
		T(test_unregistered_family),
		T(test_bad_type),
		T(test_inet_sock_packet_is_packet),
		T(test_cloexec_nonblock),
		T(test_lowest_free_descriptor),
		T(test_close),
		T(test_fcntl_dupfd),
		T(test_fcntl_dupfd_limits),
		T(test_fcntl_dupfd_truncates_arg),
		T(test_fcntl_setfd),
		T(test_fcntl_setfl_vs_kernel),
		T(test_fcntl_errors),
		T(test_getsockopt_vs_kernel),
		T(test_getsockopt_buffers_from_sysctl),
		T(test_getsockopt_lengths),
		T(test_getsockopt_errors),
		T(test_emfile_argument_errors_win),
		T(test_enfile),
		T(test_socketpair),
		T(test_socketpair_writes_array_before_create),
		T(test_sock_create_release),
		T(test_sock_create_kern_does_not_pin),
		T(test_sockfd_lookup),
		T(test_sock_inode_cache_packed),
		T(test_version),
		T(test_shutdown),
		cmocka_unit_test(test_reuse_after_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
