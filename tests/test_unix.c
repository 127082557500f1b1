/* SPDX-License-Identifier: MIT */
/*
 * test_unix - AF_UNIX socket creation, socketpair() and release through
 * the public API, with the real kernel as the oracle.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include <sockcore/un.h>
#include "test_util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static long inuse(const struct proto *prot)
{
	return sock_prot_inuse_get(current_net(), prot);
}

static unsigned long slab_active(const char *name)
{
	struct kmem_cache_stats st;
	struct kmem_cache *s = kmem_cache_find(name);

	assert_non_null(s);
	assert_int_equal(kmem_cache_get_stats(s, &st), 0);
	return st.active_objs;
}

/* Every type with protocols 0, PF_UNIX and others: the kernel's errno and,
 * on success, its SO_DOMAIN/SO_TYPE/SO_PROTOCOL (RAW reads as DGRAM). */
static void test_against_kernel(void **state)
{
	static const int protocols[] = { 0, PF_UNIX, 2, 6, -1, 1000 };
	int type;
	size_t i;

	for (type = -1; type <= SOCK_MAX + 1; type++) {
		for (i = 0; i < N(protocols); i++) {
			int fd = sys_socket(AF_UNIX, type, protocols[i]);
			int kfd = socket(AF_UNIX, type, protocols[i]);
			int kerr = kfd < 0 ? errno : 0;

			if ((fd < 0 ? -fd : 0) != kerr)
				fail_msg("socket(AF_UNIX, %d, %d): got %s, "
					 "kernel %s", type, protocols[i],
					 strerror(fd < 0 ? -fd : 0),
					 strerror(kerr));
			if (fd < 0)
				continue;
			assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), AF_UNIX);
			assert_int_equal(sc_getsockopt_int(fd, SO_TYPE),
					 kernel_getsockopt_int(kfd, SO_TYPE));
			assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL),
					 kernel_getsockopt_int(kfd, SO_PROTOCOL));
			assert_int_equal(sys_close(fd), 0);
			close(kfd);
		}
	}
}

/* Stream sockets come from UNIX-STREAM, the others from UNIX; both
 * counted while they live; the backlog is unix_max_dgram_qlen. */
static void test_protos_and_counters(void **state)
{
	long st = inuse(&unix_stream_proto), dg = inuse(&unix_dgram_proto);
	long nr = unix_nr_socks_get();
	int saved = init_net.sysctl.unix_max_dgram_qlen;
	int fd1, fd2, fd3;

	init_net.sysctl.unix_max_dgram_qlen = 77;
	fd1 = sys_socket(AF_UNIX, SOCK_STREAM, 0);
	fd2 = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	fd3 = sys_socket(AF_UNIX, SOCK_SEQPACKET, PF_UNIX);
	init_net.sysctl.unix_max_dgram_qlen = saved;
	assert_true(fd1 >= 0 && fd2 >= 0 && fd3 >= 0);
	assert_ptr_equal(fd_sock(fd1)->sk_prot, &unix_stream_proto);
	assert_ptr_equal(fd_sock(fd2)->sk_prot, &unix_dgram_proto);
	assert_ptr_equal(fd_sock(fd3)->sk_prot, &unix_dgram_proto);
	assert_int_equal(fd_sock(fd2)->sk_max_ack_backlog, 77);
	assert_int_equal(fd_socket(fd1)->state, SS_UNCONNECTED);
	assert_null(unix_peer(fd_sock(fd1)));
	assert_int_equal(inuse(&unix_stream_proto), st + 1);
	assert_int_equal(inuse(&unix_dgram_proto), dg + 2);
	assert_int_equal(unix_nr_socks_get(), nr + 3);
	assert_int_equal(sys_close(fd1), 0);
	assert_int_equal(sys_close(fd2), 0);
	assert_int_equal(sys_close(fd3), 0);
	assert_int_equal(inuse(&unix_stream_proto), st);
	assert_int_equal(inuse(&unix_dgram_proto), dg);
	assert_int_equal(unix_nr_socks_get(), nr);

	assert_int_equal(kmem_cache_size(kmem_cache_find("UNIX")), 1152);
	assert_int_equal(kmem_cache_size(kmem_cache_find("UNIX-STREAM")), 1152);
}

/* socketpair() joins both ends: each one's peer is the other, with a
 * reference; closing one end drops its link and shuts the other down. */
static void check_pair(int type, int shut_peer)
{
	unsigned long active = slab_active(type == SOCK_STREAM ?
					   "UNIX-STREAM" : "UNIX");
	long nr = unix_nr_socks_get();
	struct sock *a, *b;
	int sv[2];

	assert_int_equal(sys_socketpair(AF_UNIX, type, 0, sv), 0);
	a = fd_sock(sv[0]);
	b = fd_sock(sv[1]);
	assert_ptr_equal(unix_peer(a), b);
	assert_ptr_equal(unix_peer(b), a);
	/* Its own reference and its peer's. */
	assert_int_equal(__atomic_load_n(&a->sk_refcnt, __ATOMIC_RELAXED), 2);
	assert_int_equal(__atomic_load_n(&b->sk_refcnt, __ATOMIC_RELAXED), 2);
	assert_int_equal(a->sk_state, TCP_ESTABLISHED);
	assert_int_equal(b->sk_state, TCP_ESTABLISHED);
	assert_int_equal(fd_socket(sv[0])->state, SS_CONNECTED);
	assert_int_equal(fd_socket(sv[1])->state, SS_CONNECTED);
	assert_int_equal(unix_sk(a)->peercred.pid, getpid());
	assert_int_equal(unix_sk(a)->peercred.uid, geteuid());
	assert_int_equal(unix_nr_socks_get(), nr + 2);

	/* a stays allocated (b holds it) but has let go of b. */
	assert_int_equal(sys_close(sv[0]), 0);
	assert_null(unix_peer(a));
	assert_true(sock_flag(a, SOCK_DEAD));
	assert_int_equal(__atomic_load_n(&b->sk_refcnt, __ATOMIC_RELAXED), 1);
	assert_int_equal(__atomic_load_n(&a->sk_refcnt, __ATOMIC_RELAXED), 1);
	assert_int_equal(b->sk_shutdown, shut_peer ? 3 : 0);
	assert_int_equal(unix_nr_socks_get(), nr + 2);

	/* Closing b frees both. */
	assert_int_equal(sys_close(sv[1]), 0);
	assert_int_equal(unix_nr_socks_get(), nr);
	assert_int_equal(slab_active(type == SOCK_STREAM ?
				     "UNIX-STREAM" : "UNIX"), active);
}

static void test_socketpair_peers(void **state)
{
	check_pair(SOCK_STREAM, 1);
	check_pair(SOCK_SEQPACKET, 1);
	check_pair(SOCK_DGRAM, 0);
}

/* socketpair(AF_UNIX, SOCK_RAW) is a datagram pair, as on Linux. */
static void test_socketpair_raw(void **state)
{
	int sv[2], ksv[2];

	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_RAW, 0, sv), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_RAW, 0, ksv), 0);
	assert_int_equal(sc_getsockopt_int(sv[0], SO_TYPE), kernel_getsockopt_int(ksv[0], SO_TYPE));
	assert_int_equal(sc_getsockopt_int(sv[1], SO_TYPE), SOCK_DGRAM);
	assert_int_equal(sys_close(sv[0]), 0);
	assert_int_equal(sys_close(sv[1]), 0);
	close(ksv[0]);
	close(ksv[1]);
}

/* More unix socks than 2 * fs.file-max: ENFILE, nothing left behind.
 * (As root, descriptors themselves pass file-max: CAP_SYS_ADMIN.) */
static void test_enfile_limit(void **state)
{
	unsigned long saved = sockcore_get_file_max();
	long nr, st;
	unsigned int open;
	int fd, extra = -1, sv[2] = { -1, -1 };

	/* Make the count odd, so that a limit of nr + 1 is 2 * file-max. */
	if (unix_nr_socks_get() % 2 == 0) {
		extra = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
		assert_true(extra >= 0);
	}
	nr = unix_nr_socks_get();
	st = inuse(&unix_stream_proto);
	open = files_count(current_files());

	sockcore_set_file_max((unsigned long)(nr + 1) / 2);
	fd = sys_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_STREAM, 0), -ENFILE);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), -ENFILE);
	sockcore_set_file_max(saved);

	assert_int_equal(files_count(current_files()), open + 1);
	assert_int_equal(unix_nr_socks_get(), nr + 1);
	assert_int_equal(inuse(&unix_stream_proto), st + 1);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(unix_nr_socks_get(), nr);
	if (extra >= 0)
		assert_int_equal(sys_close(extra), 0);
}

/* sk_alloc() failing is ENOMEM for AF_UNIX, with nothing left behind. */
static void test_sk_alloc_failure(void **state)
{
	static const struct { const char *cache; int type; } cases[] = {
		{ "UNIX-STREAM", SOCK_STREAM }, { "UNIX", SOCK_DGRAM },
		{ "UNIX", SOCK_SEQPACKET },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct failslab_attr fa = {
			.probability = 100, .interval = 1, .times = 1,
		};
		struct sc_counters before = sc_counters_now();
		long nr = unix_nr_socks_get();
		int sv[2] = { -1, -1 };

		strcpy(fa.cache_filter, cases[i].cache);
		assert_int_equal(failslab_set(&fa), 0);
		assert_int_equal(sys_socket(AF_UNIX, cases[i].type, 0), -ENOMEM);
		assert_int_equal(failslab_injected(), 1);
		/* The second socket of a pair fails: the first goes too. */
		fa.interval = 2;
		fa.times = 1;
		assert_int_equal(failslab_set(&fa), 0);
		assert_int_equal(sys_socketpair(AF_UNIX, cases[i].type, 0, sv),
				 -ENOMEM);
		assert_int_equal(failslab_injected(), 1);
		assert_int_equal(failslab_set(NULL), 0);

		assert_int_equal(unix_nr_socks_get(), nr);
		assert_counters_equal(sc_counters_now(), before);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_kernel),
		cmocka_unit_test(test_protos_and_counters),
		cmocka_unit_test(test_socketpair_peers),
		cmocka_unit_test(test_socketpair_raw),
		cmocka_unit_test(test_enfile_limit),
		cmocka_unit_test(test_sk_alloc_failure),
	};
	int ret;

	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
