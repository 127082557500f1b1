/* SPDX-License-Identifier: MIT */
/*
 * test_socketpair - socketpair(2) for every family through sys_socketpair()
 * (LTP socketpair01 and more), with the real kernel as the oracle: both
 * descriptors or neither.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include "test_util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct cell {
	int family, type, protocol;
	int err;	/* expected errno, 0 for success */
};

/* socketpair(2) and sys_socketpair() side by side for one cell. */
static void check_cell(const struct cell *c)
{
	struct sc_counters before = sc_counters_now();
	int sv[2] = { -1, -1 }, ksv[2] = { -1, -1 };
	int got = sys_socketpair(c->family, c->type, c->protocol, sv);
	int kret = socketpair(c->family, c->type, c->protocol, ksv);
	int kerr = kret < 0 ? errno : 0;

	if (got != -c->err || kerr != c->err)
		fail_msg("socketpair(%d, %#x, %d): got %s, kernel %s, want %s",
			 c->family, c->type, c->protocol, strerror(-got),
			 strerror(kerr), strerror(c->err));
	if (got) {
		/* Neither descriptor was made, no socket left behind. As
		 * the kernel does, the numbers reserved for them may have
		 * been written into the array all the same. */
		assert_counters_equal(sc_counters_now(), before);
		assert_int_equal(sv[0] >= 0, ksv[0] >= 0);
		assert_int_equal(sv[1] >= 0, ksv[1] >= 0);
		return;
	}
	assert_int_equal(files_count(current_files()), before.files + 2);
	assert_true(sv[0] >= 0 && sv[1] >= 0 && sv[0] != sv[1]);
	assert_int_equal(sys_fcntl(sv[0], F_GETFD, 0), fcntl(ksv[0], F_GETFD));
	assert_int_equal(sys_fcntl(sv[1], F_GETFL, 0) & O_NONBLOCK,
			 fcntl(ksv[1], F_GETFL) & O_NONBLOCK);
	assert_int_equal(sys_close(sv[0]), 0);
	assert_int_equal(sys_close(sv[1]), 0);
	close(ksv[0]);
	close(ksv[1]);
	assert_counters_equal(sc_counters_now(), before);
}

/* LTP socketpair01, then every family and error path of §7. */
static void test_cells(void **state)
{
	static const struct cell cells[] = {
		/* LTP socketpair01 */
		{ 0, SOCK_STREAM, 0, EAFNOSUPPORT },
		{ AF_UNIX, 75, 0, EINVAL },
		{ AF_INET, SOCK_STREAM, 0, EOPNOTSUPP },
		{ AF_UNIX, SOCK_STREAM, 0, 0 },
		{ AF_UNIX, SOCK_DGRAM, 0, 0 },
		{ AF_UNIX, SOCK_STREAM, 6, EPROTONOSUPPORT },
		{ AF_UNIX, SOCK_RAW, 0, 0 },
		/* more */
		{ AF_MAX, SOCK_STREAM, 0, EAFNOSUPPORT },
		{ -1, SOCK_STREAM, 0, EAFNOSUPPORT },
		{ AF_UNIX, SOCK_SEQPACKET, 0, 0 },
		{ AF_UNIX, SOCK_SEQPACKET, PF_UNIX, 0 },
		{ AF_UNIX, SOCK_RDM, 0, ESOCKTNOSUPPORT },
		{ AF_UNIX, SOCK_PACKET, 0, ESOCKTNOSUPPORT },
		{ AF_UNIX, SOCK_PACKET, 2, EPROTONOSUPPORT },
		{ AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, 0 },
		{ AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, 0 },
		{ AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, 0 },
		{ AF_UNIX, SOCK_STREAM | 0x40, 0, EINVAL },
		{ AF_INET, SOCK_DGRAM, 0, EOPNOTSUPP },
		{ AF_INET, SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT },
		{ AF_INET6, SOCK_STREAM, 0, EOPNOTSUPP },
		{ AF_INET6, SOCK_DGRAM, 0, EOPNOTSUPP },
		{ AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, EACCES },
		{ AF_INET6, SOCK_SEQPACKET, 0, ESOCKTNOSUPPORT },
		{ AF_NETLINK, SOCK_RAW, 0, EOPNOTSUPP },
		{ AF_NETLINK, SOCK_DGRAM, 16, EOPNOTSUPP },
		{ AF_NETLINK, SOCK_RAW, 31, EPROTONOSUPPORT },
		{ AF_NETLINK, SOCK_STREAM, 0, ESOCKTNOSUPPORT },
		{ AF_PACKET, SOCK_RAW, 0, EOPNOTSUPP },
		{ AF_PACKET, SOCK_DGRAM, 0x0300, EOPNOTSUPP },
		{ AF_PACKET, SOCK_STREAM, 0, ESOCKTNOSUPPORT },
		{ AF_INET, SOCK_PACKET, 0, EOPNOTSUPP },
	};
	size_t i;

	for (i = 0; i < N(cells); i++)
		check_cell(&cells[i]);
}

/* A NULL array is EFAULT, before the family is even looked at. */
static void test_efault(void **state)
{
	static const struct cell cells[] = {
		{ AF_UNIX, SOCK_STREAM, 0, EFAULT },
		{ AF_INET, SOCK_STREAM, 0, EFAULT },
		{ AF_NETLINK, SOCK_RAW, 31, EFAULT },
	};
	unsigned int open = files_count(current_files());
	size_t i;

	for (i = 0; i < N(cells); i++) {
		const struct cell *c = &cells[i];

		assert_int_equal(sys_socketpair(c->family, c->type, c->protocol,
						NULL), -EFAULT);
		assert_int_equal(socketpair(c->family, c->type, c->protocol,
					    NULL), -1);
		assert_int_equal(errno, EFAULT);
		assert_int_equal(files_count(current_files()), open);
	}
}

/* Lowest free descriptors; with room for one only: EMFILE, none made. */
static void test_descriptors(void **state)
{
	struct files_struct *files = sc_table_fresh(3);
	int sv[2] = { -1, -1 }, fd;

	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(sv[0], 0);
	assert_int_equal(sv[1], 1);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), -EMFILE);
	assert_int_equal(files_count(files), 2);
	fd = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(fd, 2);
	assert_int_equal(sys_close(0), 0);
	assert_int_equal(sys_close(1), 0);
	assert_int_equal(sys_close(2), 0);
	sc_table_drop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_efault),
		cmocka_unit_test(test_descriptors),
	};
	int ret;

	/* current_files() is NULL until the library is initialised. */
	assert_int_equal(sockcore_init(), 0);
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
