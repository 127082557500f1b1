/* SPDX-License-Identifier: MIT */
/*
 * test_netlink - AF_NETLINK socket creation through the public API: the
 * registered units against the real kernel for all of 0..31, the order of
 * checks, registration by modules and tests, allocation failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include <sockcore/netlink.h>
#include "test_util.h"

static long inuse(void)
{
	return sock_prot_inuse_get(current_net(), &netlink_proto);
}

/* sys_socket() against socket(2) for one (type, protocol). */
static void compare(int type, int protocol)
{
	int fd = sys_socket(AF_NETLINK, type, protocol);
	int kfd = socket(AF_NETLINK, type, protocol);
	int kerr = kfd < 0 ? errno : 0;

	if ((fd < 0 ? -fd : 0) != kerr)
		fail_msg("socket(AF_NETLINK, %d, %d): got %s, kernel %s",
			 type, protocol, strerror(fd < 0 ? -fd : 0),
			 strerror(kerr));
	if (fd < 0)
		return;
	assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), kernel_getsockopt_int(kfd, SO_DOMAIN));
	assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), kernel_getsockopt_int(kfd, SO_TYPE));
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), kernel_getsockopt_int(kfd, SO_PROTOCOL));
	assert_int_equal(sys_close(fd), 0);
	close(kfd);
}

/* Every unit 0..31 (and the out-of-range neighbours), raw and dgram:
 * exactly the units this kernel accepts are registered. */
static void test_units_against_kernel(void **state)
{
	int protocol;

	for (protocol = -2; protocol <= MAX_LINKS + 1; protocol++) {
		int kfd = socket(AF_NETLINK, SOCK_RAW, protocol);

		compare(SOCK_RAW, protocol);
		compare(SOCK_DGRAM, protocol);
		assert_int_equal(netlink_protocol_registered(protocol), kfd >= 0);
		if (kfd >= 0)
			close(kfd);
	}
}

/* The type is checked first: a bad type beats a bad protocol. */
static void test_type_first(void **state)
{
	static const int types[] = {
		SOCK_STREAM, SOCK_SEQPACKET, SOCK_RDM, SOCK_PACKET, 0, 6,
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_int_equal(sys_socket(AF_NETLINK, types[i], 99),
				 -ESOCKTNOSUPPORT);
		compare(types[i], 99);
		compare(types[i], NETLINK_ROUTE);
	}
	assert_int_equal(sys_socket(AF_NETLINK, SOCK_MAX, 0), -EINVAL);
}

/* A unit registered at run time becomes creatable, and goes again. */
static void test_register_unit(void **state)
{
	const int unit = 25;	/* unused by Linux 6.18 */
	long before = inuse();
	int fd;

	assert_int_equal(sys_socket(AF_NETLINK, SOCK_RAW, unit),
			 -EPROTONOSUPPORT);
	assert_int_equal(netlink_register_protocol(unit, NULL), 0);
	assert_int_equal(netlink_register_protocol(unit, NULL), -EEXIST);
	assert_true(netlink_protocol_registered(unit));
	fd = sys_socket(AF_NETLINK, SOCK_DGRAM, unit);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), unit);
	assert_int_equal(inuse(), before + 1);
	assert_int_equal(netlink_unregister_protocol(unit), 0);
	assert_int_equal(netlink_unregister_protocol(unit), -ENOENT);
	/* Open sockets keep working; new ones are refused. */
	assert_int_equal(sys_socket(AF_NETLINK, SOCK_DGRAM, unit),
			 -EPROTONOSUPPORT);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(inuse(), before);

	assert_int_equal(netlink_register_protocol(-1, NULL), -EINVAL);
	assert_int_equal(netlink_register_protocol(MAX_LINKS, NULL), -EINVAL);
	assert_int_equal(netlink_unregister_protocol(MAX_LINKS), -EINVAL);

	/* A built-in unit can be taken away and given back. */
	assert_int_equal(netlink_unregister_protocol(NETLINK_GENERIC), 0);
	assert_int_equal(sys_socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC),
			 -EPROTONOSUPPORT);
	assert_int_equal(netlink_register_protocol(NETLINK_GENERIC, NULL), 0);
	fd = sys_socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	assert_true(fd >= 0);
	assert_int_equal(sys_close(fd), 0);
}

static void test_socketpair(void **state)
{
	unsigned int open = files_count(current_files());
	int sv[2] = { -1, -1 }, ksv[2];

	assert_int_equal(sys_socketpair(AF_NETLINK, SOCK_RAW, 0, sv),
			 -EOPNOTSUPP);
	assert_int_equal(socketpair(AF_NETLINK, SOCK_RAW, 0, ksv), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	/* Creation errors come first. */
	assert_int_equal(sys_socketpair(AF_NETLINK, SOCK_RAW, 31, sv),
			 -EPROTONOSUPPORT);
	assert_int_equal(sys_socketpair(AF_NETLINK, SOCK_STREAM, 0, sv),
			 -ESOCKTNOSUPPORT);
	assert_int_equal(files_count(current_files()), open);
}

/* The proto has no cache: its 1096-byte objects come from kmalloc-2k,
 * as in the kernel. */
static unsigned long kmalloc_2k_active(void)
{
	return kmalloc_cache_active("kmalloc-2k", 1096);
}

/* sk_alloc() failing is ENOMEM for AF_NETLINK, with nothing left behind. */
static void test_sk_alloc_failure(void **state)
{
	struct failslab_attr fa = {
		.probability = 100, .interval = 1, .times = 1,
		.cache_filter = "kmalloc-2k",
	};
	struct sc_counters counters = sc_counters_now();
	unsigned long active = kmalloc_2k_active();
	long before = inuse();

	assert_null(netlink_proto.slab);
	assert_int_equal(netlink_proto.obj_size, 1096);
	assert_int_equal(failslab_set(&fa), 0);
	assert_int_equal(sys_socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), -ENOMEM);
	assert_int_equal(failslab_injected(), 1);
	assert_int_equal(failslab_set(NULL), 0);

	assert_int_equal(kmalloc_2k_active(), active);
	assert_int_equal(inuse(), before);
	assert_counters_equal(sc_counters_now(), counters);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_against_kernel),
		cmocka_unit_test(test_type_first),
		cmocka_unit_test(test_register_unit),
		cmocka_unit_test(test_socketpair),
		cmocka_unit_test(test_sk_alloc_failure),
	};
	int ret;

	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
