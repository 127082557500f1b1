/* SPDX-License-Identifier: MIT */
/*
 * test_misuse - bad input and misuse, each answered with a clear errno and
 * followed by a check that the whole library state (every cache, in-use
 * counter, module reference, descriptor and open-file count) is exactly
 * as before:
 *   - every descriptor-taking call on negative, huge, never-opened, closed
 *     and beyond-the-table descriptors, and double close (EBADF);
 *   - a descriptor of another thread's table;
 *   - NULL and short option buffers and lengths, compared with the kernel;
 *   - F_SETFL with every single flag bit, compared with the kernel;
 *   - tables limited to 0 and 1 descriptors;
 *   - unregistering a family and a switch entry still in use: its sockets
 *     keep working and close cleanly;
 *   - the last outside reference on a namespace dropped (from another
 *     thread) while sockets of every family pin it;
 *   - a thread that creates and closes sockets from a pthread key
 *     destructor, while it exits.
 * No call of the API is documented as async-signal-safe
 * (<sockcore/sockcore.h>), so none is tried from a signal handler.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
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
#include "test_faults_util.h"

static struct sc_snap before;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(sockcore_init(), 0);
	sc_table_fresh(0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sc_table_drop();
	assert_int_equal(sockcore_cred_refresh(), 0);
	return 0;
}

#define assert_restored(what) \
	assert_true(sc_snap_settle_equal(&before, what))

/* ---- bad descriptors ---------------------------------------------------- */

/* Every call that takes a descriptor answers EBADF for @fd, and the
 * kernel checks the descriptor before the other arguments. */
static void all_ebadf(int fd)
{
	static const int cmds[] = { F_GETFD, F_SETFD, F_GETFL, F_SETFL,
				    F_DUPFD, F_DUPFD_CLOEXEC, 9999, -1 };
	struct sockcore_fdinfo info;
	socklen_t len = sizeof(int);
	int v, err = 0;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (sys_fcntl(fd, cmds[i], 0) != -EBADF)
			fail_msg("fcntl(%d, %d) = %d", fd, cmds[i],
				 sys_fcntl(fd, cmds[i], 0));
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), -EBADF);
	assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, 9999, NULL, NULL), -EBADF);
	assert_int_equal(sys_getsockopt(fd, SOL_IP, 1, &v, &len), -EBADF);
	assert_null(sockfd_lookup(fd, &err));
	assert_int_equal(err, -EBADF);
	assert_int_equal(sockcore_fdinfo(fd, &info), -EBADF);
	assert_int_equal(sys_close(fd), -EBADF);
}

static void test_bad_descriptors(void **state)
{
	static const int bad[] = {
		-1, -2, -1000, INT_MIN, INT_MAX, INT_MAX - 1, 1 << 20,
		(1 << 20) + 1, 3, 63, 64, 65, 127, 128, 4096,
	};
	int fd, sv[2];

	(void)state;
	/* a few open descriptors so the numbers around them are realistic */
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 0);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	sc_snap_quiescent(&before);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		all_ebadf(bad[i]);
	assert_restored("bad descriptors");

	/* closed, and closed twice */
	fd = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(fd, 3);
	assert_int_equal(sys_close(fd), 0);
	all_ebadf(fd);
	assert_int_equal(sys_close(fd), -EBADF);
	/* one end of a pair closed: the other still answers */
	assert_int_equal(sys_close(sv[0]), 0);
	all_ebadf(sv[0]);
	assert_int_equal(sc_getsockopt_int(sv[1], SO_TYPE), SOCK_STREAM);
	assert_int_equal(sys_close(sv[1]), 0);
	assert_int_equal(sys_close(sv[1]), -EBADF);
	assert_int_equal(sys_close(0), 0);
	assert_int_equal(files_count(current_files()), 0);
	/* what was closed is given out again, lowest first */
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), 0);
	assert_int_equal(sys_close(0), 0);
}

/* ---- a descriptor of another table ---------------------------------------- */

struct other {
	struct files_struct *files;
	int results[6];
};

static void *other_table_thread(void *arg)
{
	struct other *o = arg;
	socklen_t len = sizeof(int);
	int v = -1;

	sockcore_switch_files(o->files);
	/* 0 is this table's own UNIX socket; 1 and 2 exist only in the
	 * other table */
	o->results[0] = sys_getsockopt(0, SOL_SOCKET, SO_DOMAIN, &v, &len);
	o->results[1] = v;
	o->results[2] = sys_fcntl(1, F_GETFL, 0);
	o->results[3] = sys_close(2);
	o->results[4] = sys_close(1);
	o->results[5] = sys_close(0);
	sockcore_switch_files(NULL);
	return NULL;
}

static void test_other_table(void **state)
{
	struct other o = { 0 };
	pthread_t th;

	(void)state;
	sc_snap_quiescent(&before);
	o.files = files_create(0);
	assert_non_null(o.files);
	sockcore_switch_files(o.files);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), 0);
	sc_table_fresh(0);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 1);
	assert_int_equal(sys_socket(AF_INET6, SOCK_DGRAM, 0), 2);
	assert_int_equal(pthread_create(&th, NULL, other_table_thread, &o), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(o.results[0], 0);
	assert_int_equal(o.results[1], AF_UNIX);
	assert_int_equal(o.results[2], -EBADF);
	assert_int_equal(o.results[3], -EBADF);
	assert_int_equal(o.results[4], -EBADF);
	assert_int_equal(o.results[5], 0);
	/* ours are untouched */
	assert_int_equal(sc_getsockopt_int(0, SO_PROTOCOL), IPPROTO_TCP);
	assert_int_equal(sc_getsockopt_int(1, SO_PROTOCOL), IPPROTO_UDP);
	assert_int_equal(sc_getsockopt_int(2, SO_DOMAIN), AF_INET6);
	assert_int_equal(files_count(current_files()), 3);
	assert_int_equal(files_count(o.files), 0);
	files_put(o.files);
	for (int i = 0; i < 3; i++)
		assert_int_equal(sys_close(i), 0);
	assert_restored("other table");
}

/* ---- option buffers, against the kernel ----------------------------------- */

static void test_option_lengths_vs_kernel(void **state)
{
	static const socklen_t lens[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 16, 1000, 0x7fffffff, 0x80000000u,
		0xfffffffcu, 0xffffffffu,
	};
	static const int opts[] = { SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_RCVBUF };
	int fd, kfd;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	kfd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0 && kfd >= 0);
	sc_snap_quiescent(&before);
	for (size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			unsigned char buf[32], kbuf[32];
			socklen_t len = lens[i], klen = lens[i];
			int r, kr;

			memset(buf, 0xaa, sizeof(buf));
			memset(kbuf, 0xaa, sizeof(kbuf));
			r = sys_getsockopt(fd, SOL_SOCKET, opts[o], buf, &len);
			kr = getsockopt(kfd, SOL_SOCKET, opts[o], kbuf, &klen);
			kr = kr < 0 ? -errno : kr;
			if (r != kr || len != klen)
				fail_msg("option %d, length %#x: library %d "
					 "(length %u), kernel %d (length %u)",
					 opts[o], lens[i], r, len, kr, klen);
			/* the bytes written: only SO_RCVBUF's value differs
			 * from the kernel's (sysctl-dependent) */
			if (r == 0 && opts[o] != SO_RCVBUF &&
			    memcmp(buf, kbuf, sizeof(buf)))
				fail_msg("option %d, length %u: bytes differ",
					 opts[o], lens[i]);
		}
		/* NULL buffers */
		socklen_t len = 4, klen = 4;
		int r = sys_getsockopt(fd, SOL_SOCKET, opts[o], NULL, &len);
		int kr = getsockopt(kfd, SOL_SOCKET, opts[o], NULL, &klen);

		assert_int_equal(r, kr < 0 ? -errno : kr);
		len = klen = 0;
		r = sys_getsockopt(fd, SOL_SOCKET, opts[o], NULL, &len);
		kr = getsockopt(kfd, SOL_SOCKET, opts[o], NULL, &klen);
		assert_int_equal(r, kr < 0 ? -errno : kr);
		assert_int_equal(len, klen);
		assert_int_equal(sys_getsockopt(fd, SOL_SOCKET, opts[o], &r, NULL),
				 -EFAULT);
	}
	assert_restored("option lengths");
	assert_int_equal(sys_close(fd), 0);
	close(kfd);
}

/* ---- F_SETFL, every bit, against the kernel ------------------------------- */

static void test_setfl_every_bit_vs_kernel(void **state)
{
	int fd, kfd;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	kfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0 && kfd >= 0);
	sc_snap_quiescent(&before);
	for (int bit = 0; bit < 64; bit++) {
		long arg = (long)(1UL << bit);
		int r = sys_fcntl(fd, F_SETFL, arg);
		int kr = fcntl(kfd, F_SETFL, arg);
		int gl, kgl;

		kr = kr < 0 ? -errno : kr;
		gl = sys_fcntl(fd, F_GETFL, 0);
		kgl = fcntl(kfd, F_GETFL);
		if (r != kr || gl != kgl)
			fail_msg("F_SETFL 1<<%d: library %d then %#x, kernel %d "
				 "then %#x", bit, r, gl, kr, kgl);
		assert_int_equal(sys_fcntl(fd, F_SETFL, 0), 0);
		assert_int_equal(fcntl(kfd, F_SETFL, 0), 0);
	}
	assert_restored("F_SETFL");
	assert_int_equal(sys_close(fd), 0);
	close(kfd);
}

/*
 * F_DUPFD with an argument at or past the table's current size (64 slots
 * at first): the duplicate gets the argument, as the kernel's alloc_fd()
 * gives (found by the fuzz harness; fixed in alloc_fd_locked()).
 */
static void test_dupfd_beyond_table(void **state)
{
	static const long args[] = { 64, 65, 100, 127, 500 };
	int fd, kfd, kbase;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	kfd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0 && kfd >= 0);
	kbase = 1000;	/* far above what the process has open */
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		int d = sys_fcntl(fd, F_DUPFD, args[i]);
		int kd = fcntl(kfd, F_DUPFD, kbase + args[i]);

		assert_int_equal(kd, kbase + args[i]);
		close(kd);
		if (d != args[i])
			fail_msg("F_DUPFD(%d, %ld) = %d, the kernel gives the "
				 "argument", fd, args[i], d);
		assert_int_equal(sys_close(d), 0);
	}
	close(kfd);
	assert_int_equal(sys_close(fd), 0);
}

/* ---- tables of 0 and 1 descriptors ------------------------------------------ */

static void test_tiny_tables(void **state)
{
	struct files_struct *files;
	int sv[2] = { -7, -7 };

	(void)state;
	files = sc_table_fresh(0);
	assert_int_equal(files_set_limit(files, 0), 0);
	sc_snap_quiescent(&before);
	assert_int_equal(sys_socket(AF_INET6, SOCK_STREAM, 0), -EMFILE);
	assert_int_equal(sys_socket(AF_PACKET, SOCK_RAW, 0), -EMFILE);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), -EMFILE);
	assert_restored("limit 0");

	assert_int_equal(files_set_limit(files, 1), 0);
	assert_int_equal(sys_socket(AF_NETLINK, SOCK_RAW, 0), 0);
	sc_snap_quiescent(&before);
	/* a pair needs two: the first reserved number is given back */
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), -EMFILE);
	assert_int_equal(sys_fcntl(0, F_DUPFD, 0), -EMFILE);
	assert_int_equal(sys_fcntl(0, F_DUPFD, 1), -EINVAL);
	assert_int_equal(sys_fcntl(0, F_DUPFD_CLOEXEC, 0), -EMFILE);
	assert_restored("limit 1");
	assert_int_equal(sys_close(0), 0);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), -EMFILE);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), 0);
	assert_int_equal(sys_close(0), 0);
}

/* ---- a family and a switch entry unregistered while in use ----------------- */

#define MISUSE_FAMILY	44	/* AF_XDP: not in the library */

static int misuse_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
		sock->sk = NULL;
		sk_common_release(sk);
	}
	return 0;
}

static struct proto misuse_proto = { .name = "MISUSE", .obj_size = 512 };

static const struct proto_ops misuse_ops = {
	.family = MISUSE_FAMILY,
	.release = misuse_release,
	.socketpair = sock_no_socketpair,
};

static int misuse_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct sock *sk = sk_alloc(net, MISUSE_FAMILY, GFP_KERNEL,
				   &misuse_proto, kern);

	if (!sk)
		return -ENOMEM;
	sock->ops = &misuse_ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = protocol;
	sock_prot_inuse_add(net, &misuse_proto, 1);
	return 0;
}

static const struct net_proto_family misuse_family = {
	.family = MISUSE_FAMILY,
	.create = misuse_create,
};

static struct inet_protosw misuse_sw = {
	.type = SOCK_DGRAM, .protocol = 253,
	.prot = &udp_prot, .ops = &inet_dgram_ops,
};

static void test_unregister_in_use(void **state)
{
	int fds[4], sv[2];

	(void)state;
	assert_int_equal(proto_register(&misuse_proto, 1), 0);
	sc_snap_quiescent(&before);
	assert_int_equal(sys_socket(MISUSE_FAMILY, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sock_register(&misuse_family), 0);
	assert_int_equal(sock_register(&misuse_family), -EEXIST);
	assert_int_equal(inet_register_protosw(&misuse_sw), 0);
	fds[0] = sys_socket(MISUSE_FAMILY, SOCK_DGRAM, 5);
	fds[1] = sys_socket(MISUSE_FAMILY, SOCK_STREAM | SOCK_NONBLOCK, 0);
	fds[2] = sys_socket(AF_INET, SOCK_DGRAM, 253);
	fds[3] = sys_fcntl(fds[0], F_DUPFD, 0);
	for (int i = 0; i < 4; i++)
		assert_true(fds[i] >= 0);
	assert_int_equal(sys_socketpair(MISUSE_FAMILY, SOCK_DGRAM, 0, sv),
			 -EOPNOTSUPP);

	sock_unregister(MISUSE_FAMILY);
	assert_int_equal(inet_unregister_protosw(&misuse_sw), 0);
	/* gone for new sockets */
	assert_int_equal(sys_socket(MISUSE_FAMILY, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 253), -EPROTONOSUPPORT);
	/* the old ones work */
	assert_int_equal(sc_getsockopt_int(fds[0], SO_DOMAIN), MISUSE_FAMILY);
	assert_int_equal(sc_getsockopt_int(fds[3], SO_PROTOCOL), 5);
	assert_int_equal(sys_fcntl(fds[1], F_GETFL, 0), O_RDWR | O_NONBLOCK);
	assert_int_equal(sc_getsockopt_int(fds[2], SO_PROTOCOL), 253);
	assert_int_equal(sock_prot_inuse_get(current_net(), &misuse_proto), 2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(sys_close(fds[i]), 0);
	assert_restored("family and switch entry unregistered in use");
	/* and may come back */
	assert_int_equal(sock_register(&misuse_family), 0);
	fds[0] = sys_socket(MISUSE_FAMILY, SOCK_DGRAM, 0);
	assert_true(fds[0] >= 0);
	assert_int_equal(sys_close(fds[0]), 0);
	sock_unregister(MISUSE_FAMILY);
	assert_restored("family re-registered");
	proto_unregister(&misuse_proto);
}

/* ---- a namespace destroyed under its sockets -------------------------------- */

static void *put_net_thread(void *arg)
{
	put_net(arg);
	return NULL;
}

static void test_destroy_namespace_with_sockets(void **state)
{
	static const int spec[][3] = {
		{ AF_INET, SOCK_STREAM, 0 }, { AF_INET, SOCK_RAW, IPPROTO_ICMP },
		{ AF_INET6, SOCK_DGRAM, 0 }, { AF_INET6, SOCK_RAW, IPPROTO_RAW },
		{ AF_UNIX, SOCK_SEQPACKET, 0 }, { AF_PACKET, SOCK_DGRAM, 0 },
		{ AF_NETLINK, SOCK_RAW, 0 },
	};
	enum { N = sizeof(spec) / sizeof(spec[0]) };
	int fds[N + 2];
	struct net *net;
	pthread_t th;
	struct cred c;

	(void)state;
	sockcore_cred_get(&c);
	c.cap_effective |= UINT64_C(1) << CAP_NET_RAW;
	sockcore_cred_set(&c);
	/* warm-up: once-only state of the first sockets is not a leak */
	net = net_create();
	sockcore_switch_net(net);
	for (int i = 0; i < N; i++)
		assert_int_equal(sc_socket_errno(spec[i][0], spec[i][1], spec[i][2]), 0);
	sockcore_switch_net(NULL);
	put_net(net);
	sc_snap_quiescent(&before);

	net = net_create();
	assert_non_null(net);
	sockcore_switch_net(net);
	for (int i = 0; i < N; i++) {
		fds[i] = sys_socket(spec[i][0], spec[i][1], spec[i][2]);
		assert_true(fds[i] >= 0);
	}
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[N]), 0);
	sockcore_switch_net(NULL);
	/* the last outside reference goes, from another thread */
	assert_int_equal(pthread_create(&th, NULL, put_net_thread, net), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(sock_inuse_get(net), N + 2);
	for (int i = 0; i < N + 2; i++) {
		int fam = sc_getsockopt_int(fds[i], SO_DOMAIN);

		assert_true(fam == (i < N ? spec[i][0] : AF_UNIX));
	}
	/* close in an odd order; the namespace goes with the last one */
	for (int i = N + 1; i >= 0; i -= 2)
		assert_int_equal(sys_close(fds[i]), 0);
	for (int i = N; i >= 0; i -= 2)
		assert_int_equal(sys_close(fds[i]), 0);
	assert_restored("namespace destroyed under its sockets");
}

/* ---- a thread that is exiting ------------------------------------------------- */

struct exit_log {
	int rounds;
	int fd[4], closed[4], domain[4];
};

static pthread_key_t exit_key;

static void exit_destructor(void *arg)
{
	struct exit_log *l = arg;
	int i = l->rounds++;

	l->fd[i] = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	l->domain[i] = l->fd[i] >= 0 ? sc_getsockopt_int(l->fd[i], SO_DOMAIN) : -1;
	l->closed[i] = l->fd[i] >= 0 ? sys_close(l->fd[i]) : -1;
	/* once more, in the next round of destructors (after the library's
	 * own per-thread state has gone) */
	if (l->rounds < 2)
		pthread_setspecific(exit_key, l);
}

static void *exiting_thread(void *arg)
{
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);	/* library state first */

	if (fd >= 0)
		sys_close(fd);
	pthread_setspecific(exit_key, arg);
	return NULL;
}

static void test_exiting_thread(void **state)
{
	struct exit_log l = { 0 };
	pthread_t th;

	(void)state;
	sc_table_drop();	/* the thread uses the default table */
	assert_int_equal(pthread_key_create(&exit_key, exit_destructor), 0);
	sc_snap_quiescent(&before);
	for (int t = 0; t < 3; t++) {
		memset(&l, 0, sizeof(l));
		assert_int_equal(pthread_create(&th, NULL, exiting_thread, &l), 0);
		assert_int_equal(pthread_join(th, NULL), 0);
		assert_int_equal(l.rounds, 2);
		for (int i = 0; i < 2; i++) {
			assert_true(l.fd[i] >= 0);
			assert_int_equal(l.domain[i], AF_UNIX);
			assert_int_equal(l.closed[i], 0);
		}
	}
	assert_restored("exiting thread");
	pthread_key_delete(exit_key);
	sc_table_fresh(0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bad_descriptors),
		T(test_other_table),
		T(test_option_lengths_vs_kernel),
		T(test_setfl_every_bit_vs_kernel),
		T(test_dupfd_beyond_table),
		T(test_tiny_tables),
		T(test_unregister_in_use),
		T(test_destroy_namespace_with_sockets),
		T(test_exiting_thread),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	sockcore_shutdown();
	return rc;
}
