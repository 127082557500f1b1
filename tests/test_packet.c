/* SPDX-License-Identifier: MIT */
/*
 * test_packet - AF_PACKET socket creation through the public API, with the
 * real kernel as the oracle (as root, and as nobody in a forked child).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include <sockcore/packet.h>
#include "test_util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static long inuse(void)
{
	return sock_prot_inuse_get(current_net(), &packet_proto);
}

static const int protocols[] = {
	0, 0x0300 /* htons(ETH_P_ALL) */, 3, 0x1234, -1, 0x10000,
};

/* Every type with several protocols: the kernel's errno and, on success,
 * its SO_DOMAIN/SO_TYPE/SO_PROTOCOL (0: the ethertype is not kept in
 * sk_protocol). */
static void test_against_kernel(void **state)
{
	int type;
	size_t i;

	for (type = -1; type <= SOCK_MAX; type++) {
		for (i = 0; i < N(protocols); i++) {
			int fd = sys_socket(AF_PACKET, type, protocols[i]);
			int kfd = socket(AF_PACKET, type, protocols[i]);
			int kerr = kfd < 0 ? errno : 0;

			if ((fd < 0 ? -fd : 0) != kerr)
				fail_msg("socket(AF_PACKET, %d, %#x): got %s, "
					 "kernel %s", type, protocols[i],
					 strerror(fd < 0 ? -fd : 0),
					 strerror(kerr));
			if (fd < 0)
				continue;
			assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN),
					 kernel_getsockopt_int(kfd, SO_DOMAIN));
			assert_int_equal(sc_getsockopt_int(fd, SO_TYPE),
					 kernel_getsockopt_int(kfd, SO_TYPE));
			assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL),
					 kernel_getsockopt_int(kfd, SO_PROTOCOL));
			assert_int_equal(pkt_sk(fd_socket(fd)->sk)->num,
					 (uint16_t)protocols[i]);
			assert_int_equal(sys_close(fd), 0);
			close(kfd);
		}
	}
}

/*
 * What the real kernel says to nobody (uid/gid 65534, no capabilities),
 * asked in forked children. Not under ThreadSanitizer: jemalloc's fork
 * handlers hold more mutexes at once than its deadlock detector can track
 * (a CHECK failure), so there only the library's side is checked.
 */
static const int nobody_types[] = {
	SOCK_RAW, SOCK_DGRAM, SOCK_PACKET, SOCK_STREAM, SOCK_RDM, 0, SOCK_MAX,
};
static int nobody_kernel_err[N(nobody_types)];

/* In a forked child: exits with socket(2)'s errno as nobody. */
static int kernel_socket_as_nobody(void *arg)
{
	const int *type = arg;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return 255;
	return kernel_socket_errno(AF_PACKET, *type, 0x0300);
}

static void ask_kernel_as_nobody(void)
{
	size_t i;

	for (i = 0; i < N(nobody_types); i++) {
#if defined(SOCKCORE_TSAN)
		(void)kernel_socket_as_nobody;
		nobody_kernel_err[i] = -1;
#else
		nobody_kernel_err[i] = sc_run_child(kernel_socket_as_nobody,
						    (void *)&nobody_types[i]);
#endif
	}
}

/* Without CAP_NET_RAW: EPERM, before the type is looked at (but after the
 * core's range check of the type). */
static void test_unprivileged(void **state)
{
	struct cred c, saved;
	size_t i;

	sockcore_cred_get(&saved);
	c = saved;
	c.uid = c.euid = 65534;
	c.gid = c.egid = 65534;
	c.ngroups = 0;
	c.cap_effective = 0;
	for (i = 0; i < N(nobody_types); i++) {
		int got, want = nobody_types[i] == SOCK_MAX ? EINVAL : EPERM;

		sockcore_cred_set(&c);
		got = sys_socket(AF_PACKET, nobody_types[i], 0x0300);
		sockcore_cred_set(&saved);
		assert_int_equal(got, -want);
		if (nobody_kernel_err[i] != -1)	/* -1: not asked (TSan) */
			assert_int_equal(nobody_kernel_err[i], want);
	}
	/* (PF_INET, SOCK_PACKET) is AF_PACKET's too. */
	sockcore_cred_set(&c);
	assert_int_equal(sys_socket(AF_INET, SOCK_PACKET, 0), -EPERM);
	/* CAP_NET_RAW alone is enough. */
	c.cap_effective = 1ULL << CAP_NET_RAW;
	sockcore_cred_set(&c);
	{
		int fd = sys_socket(AF_PACKET, SOCK_RAW, 0);

		assert_true(fd >= 0);
		assert_int_equal(sys_close(fd), 0);
	}
	assert_int_equal(sockcore_cred_refresh(), 0);
}

/* (AF_INET, SOCK_PACKET) arrives as an AF_PACKET socket, as on Linux;
 * SOCK_PACKET sockets have their own ops. */
static void test_inet_sock_packet(void **state)
{
	int fd = sys_socket(AF_INET, SOCK_PACKET, 0x0300);
	int kfd = socket(AF_INET, SOCK_PACKET, 0x0300);
	int raw = sys_socket(AF_PACKET, SOCK_RAW, 0x0300);

	assert_true(fd >= 0 && kfd >= 0 && raw >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), kernel_getsockopt_int(kfd, SO_DOMAIN));
	assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), AF_PACKET);
	assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), kernel_getsockopt_int(kfd, SO_TYPE));
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), kernel_getsockopt_int(kfd, SO_PROTOCOL));
	assert_ptr_not_equal(fd_socket(fd)->ops, fd_socket(raw)->ops);
	assert_int_equal(fd_socket(fd)->ops->family, PF_PACKET);
	assert_int_equal(fd_socket(fd)->state, SS_UNCONNECTED);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sys_close(raw), 0);
	close(kfd);
}

static void test_inuse_and_socketpair(void **state)
{
	long before = inuse();
	unsigned int open = files_count(current_files());
	int fd, sv[2] = { -1, -1 }, ksv[2];

	fd = sys_socket(AF_PACKET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(inuse(), before + 1);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(inuse(), before);

	assert_int_equal(sys_socketpair(AF_PACKET, SOCK_RAW, 0, sv),
			 -EOPNOTSUPP);
	assert_int_equal(socketpair(AF_PACKET, SOCK_RAW, 0, ksv), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_PACKET, SOCK_STREAM, 0, sv),
			 -ESOCKTNOSUPPORT);
	assert_int_equal(files_count(current_files()), open);
	assert_int_equal(inuse(), before);
	/* No cache of its own: objects are kmalloc()ed. */
	assert_null(packet_proto.slab);
	assert_int_equal(packet_proto.obj_size, 1600);
}

/* The proto has no cache: its 1600-byte objects come from kmalloc-2k,
 * as in the kernel. */
static unsigned long kmalloc_2k_active(void)
{
	return kmalloc_cache_active("kmalloc-2k", 1600);
}

/* sk_alloc() failing is ENOBUFS for AF_PACKET, with nothing left behind. */
static void test_sk_alloc_failure(void **state)
{
	struct failslab_attr fa = {
		.probability = 100, .interval = 1, .times = 1,
		.cache_filter = "kmalloc-2k",
	};
	struct sc_counters counters = sc_counters_now();
	unsigned long active = kmalloc_2k_active();
	long before = inuse();

	assert_int_equal(failslab_set(&fa), 0);
	assert_int_equal(sys_socket(AF_PACKET, SOCK_RAW, 0x0300), -ENOBUFS);
	assert_int_equal(failslab_injected(), 1);
	assert_int_equal(failslab_set(NULL), 0);

	assert_int_equal(kmalloc_2k_active(), active);
	assert_int_equal(inuse(), before);
	assert_counters_equal(sc_counters_now(), counters);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_kernel),
		cmocka_unit_test(test_unprivileged),
		cmocka_unit_test(test_inet_sock_packet),
		cmocka_unit_test(test_inuse_and_socketpair),
		cmocka_unit_test(test_sk_alloc_failure),
	};
	int ret;

	ask_kernel_as_nobody();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
