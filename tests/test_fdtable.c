/* SPDX-License-Identifier: MIT */
/*
 * test_fdtable - descriptor tables: references, several tables in one
 * process (per thread), growth with lowest-first numbering, limits,
 * the open-file count and fdinfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "test_util.h"

static int setup(void **state)
{
	(void)state;
	assert_int_equal(sockcore_init(), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sc_table_drop();
	return 0;
}

static void test_default_table(void **state)
{
	struct rlimit rl;

	(void)state;
	assert_non_null(files_default());
	assert_ptr_equal(current_files(), files_default());
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur <= (1U << 20))
		assert_int_equal(files_get_limit(files_default()), rl.rlim_cur);
	/* switching to NULL or to the default itself means the default */
	sockcore_switch_files(files_default());
	assert_ptr_equal(current_files(), files_default());
	sockcore_switch_files(NULL);
	assert_ptr_equal(current_files(), files_default());
}

static void test_create_get_put(void **state)
{
	struct sc_counters before = sc_counters_now();
	struct files_struct *files;
	int fd;

	(void)state;
	files = files_create(10);
	assert_non_null(files);
	assert_int_equal(files_get_limit(files), 10);
	assert_int_equal(files_count(files), 0);
	sockcore_switch_files(files);	/* the thread's reference */
	assert_ptr_equal(current_files(), files);
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(fd, 0);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_STREAM, 0), 1);
	assert_int_equal(files_count(files), 2);
	assert_ptr_equal(files_get(files), files);
	files_put(files);		/* not the last: still usable */
	assert_int_equal(files_count(files), 2);
	assert_int_equal(sys_fcntl(fd, F_GETFL, 0), O_RDWR);
	sockcore_switch_files(NULL);	/* drops the thread's reference */
	assert_int_equal(sockcore_nr_files(), before.nr_files + 2);
	/* the last put closes what is left */
	files_put(files);
	assert_int_equal(sockcore_nr_files(), before.nr_files);
	assert_int_equal(sock_inuse_get(current_net()), before.inuse);
	assert_counters_equal(sc_counters_now(), before);

	/* 0: the process's RLIMIT_NOFILE */
	struct rlimit rl;
	files = files_create(0);
	assert_non_null(files);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur <= (1U << 20))
		assert_int_equal(files_get_limit(files), rl.rlim_cur);
	files_put(files);
}

struct other_table {
	struct files_struct *files;
	int fds[3];
	int foreign_err;	/* what the main table's descriptor 5 gives */
};

static void *other_thread(void *arg)
{
	struct other_table *o = arg;

	sockcore_switch_files(o->files);
	for (int i = 0; i < 3; i++)
		o->fds[i] = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	o->foreign_err = sys_fcntl(5, F_GETFD, 0);
	/* the thread's reference goes when it exits */
	return NULL;
}

static void test_tables_per_thread(void **state)
{
	struct other_table o = { 0 };
	pthread_t th;
	int fd;

	(void)state;
	sc_table_fresh(0);
	for (int i = 0; i <= 5; i++)
		assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), i);
	o.files = files_create(0);
	assert_non_null(o.files);
	assert_int_equal(pthread_create(&th, NULL, other_thread, &o), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* each table numbers from 0 */
	assert_int_equal(o.fds[0], 0);
	assert_int_equal(o.fds[1], 1);
	assert_int_equal(o.fds[2], 2);
	assert_int_equal(o.foreign_err, -EBADF);
	assert_int_equal(files_count(o.files), 3);
	assert_int_equal(files_count(current_files()), 6);
	/* the other table's sockets are not ours: 0..2 here are inet */
	assert_int_equal(sc_getsockopt_int(0, SO_DOMAIN), AF_INET);
	/* switch this thread to the other table: its descriptors appear */
	sockcore_switch_files(o.files);
	assert_int_equal(sc_getsockopt_int(0, SO_DOMAIN), AF_UNIX);
	assert_int_equal(sys_fcntl(5, F_GETFD, 0), -EBADF);
	assert_int_equal(sys_close(2), 0);
	fd = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(fd, 2);
	sockcore_switch_files(NULL);
	assert_int_equal(sys_close(0), -EBADF);	/* the default table is empty */
	files_put(o.files);	/* last reference: closes 0..2 */
}

static void test_growth(void **state)
{
	enum { N = 1500 };
	struct sc_counters before;
	int fd;

	(void)state;
	sc_table_fresh(N + 10);
	before = sc_counters_now();
	for (int i = 0; i < N; i++) {
		fd = sys_socket(AF_UNIX, SOCK_DGRAM | (i % 2 ? SOCK_CLOEXEC : 0), 0);
		if (fd != i)
			fail_msg("socket %d got descriptor %d", i, fd);
	}
	assert_int_equal(files_count(current_files()), N);
	assert_int_equal(sockcore_nr_files(), before.nr_files + N);
	/* descriptors kept their flags across every growth (64, 128, ...) */
	for (int i = 0; i < N; i += 97)
		assert_int_equal(sys_fcntl(i, F_GETFD, 0), i % 2 ? FD_CLOEXEC : 0);
	assert_int_equal(sc_getsockopt_int(N - 1, SO_DOMAIN), AF_UNIX);
	/* holes are refilled lowest first */
	assert_int_equal(sys_close(1200), 0);
	assert_int_equal(sys_close(63), 0);
	assert_int_equal(sys_close(64), 0);
	assert_int_equal(sys_close(5), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 5);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 63);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 64);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 1200);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), N);
	assert_int_equal(sys_fcntl(0, F_DUPFD, 1000), N + 1);
	/* duplicates above the table's current size grow it too */
	assert_int_equal(sys_fcntl(0, F_DUPFD, N + 8), N + 8);
	assert_int_equal(sys_fcntl(0, F_DUPFD, N + 8), N + 9);
	assert_int_equal(sys_fcntl(0, F_DUPFD, N + 8), -EMFILE);
	for (int i = 0; i < N + 2; i++)
		assert_int_equal(sys_close(i), 0);
	assert_int_equal(sys_close(N + 8), 0);
	assert_int_equal(sys_close(N + 9), 0);
	assert_counters_equal(sc_counters_now(), before);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), 0);
}

static void test_limits(void **state)
{
	struct files_struct *files;
	int sv[2];

	(void)state;
	files = sc_table_fresh(0);
	assert_int_equal(files_set_limit(files, 0), 0);
	assert_int_equal(files_get_limit(files), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), -EMFILE);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), -EMFILE);
	assert_int_equal(files_set_limit(files, 1), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), -EMFILE);
	assert_int_equal(sys_fcntl(0, F_DUPFD, 0), -EMFILE);
	assert_int_equal(files_count(files), 1);
	/* lowering the limit below open descriptors leaves them open */
	assert_int_equal(files_set_limit(files, 4), 0);
	for (int i = 1; i < 4; i++)
		assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), i);
	assert_int_equal(files_set_limit(files, 2), 0);
	assert_int_equal(sc_getsockopt_int(3, SO_DOMAIN), AF_UNIX);
	assert_int_equal(sys_fcntl(3, F_GETFL, 0), O_RDWR);
	assert_int_equal(sys_close(3), 0);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), -EMFILE);
	assert_int_equal(sys_close(1), 0);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), 1);
	/* beyond the kernel's nr_open */
	assert_int_equal(files_set_limit(files, (1U << 20) + 1), -EINVAL);
	assert_int_equal(files_get_limit(files), 2);
	assert_int_equal(files_set_limit(files, 1U << 20), 0);
}

static void test_nr_files(void **state)
{
	unsigned long base;
	int fd, sv[2];

	(void)state;
	sc_table_fresh(0);
	base = sockcore_nr_files();
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(sockcore_nr_files(), base + 1);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(sockcore_nr_files(), base + 3);
	/* a duplicate is another descriptor, not another file */
	int d = sys_fcntl(fd, F_DUPFD, 0);
	assert_true(d >= 0);
	assert_int_equal(sockcore_nr_files(), base + 3);
	assert_int_equal(files_count(current_files()), 4);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sockcore_nr_files(), base + 3);
	assert_int_equal(sys_close(d), 0);
	assert_int_equal(sockcore_nr_files(), base + 2);
	/* a failed creation is not counted */
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 17), -EPROTONOSUPPORT);
	assert_int_equal(sockcore_nr_files(), base + 2);
	assert_int_equal(sys_close(sv[0]), 0);
	assert_int_equal(sys_close(sv[1]), 0);
	assert_int_equal(sockcore_nr_files(), base);
	/* a kernel-side socket without a descriptor has no file */
	struct socket *sock;
	assert_int_equal(sock_create(AF_INET, SOCK_DGRAM, 0, &sock), 0);
	assert_int_equal(sockcore_nr_files(), base);
	sock_release(sock);
}

static void test_fdinfo(void **state)
{
	struct sockcore_fdinfo info;
	int fd;

	(void)state;
	sc_table_fresh(0);
	fd = sys_socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_int_equal(fd, 0);
	memset(&info, 0x5a, sizeof(info));
	assert_int_equal(sockcore_fdinfo(fd, &info), 0);
	assert_int_equal(info.fd, fd);
	assert_int_equal(info.flags, O_RDWR | O_NONBLOCK);
	assert_int_equal(info.cloexec, 1);
	assert_int_equal(info.family, AF_INET6);
	assert_int_equal(info.type, SOCK_DGRAM);
	assert_int_equal(info.protocol, IPPROTO_UDP);
	/* fdinfo follows fcntl changes */
	assert_int_equal(sys_fcntl(fd, F_SETFD, 0), 0);
	assert_int_equal(sys_fcntl(fd, F_SETFL, 0), 0);
	assert_int_equal(sockcore_fdinfo(fd, &info), 0);
	assert_int_equal(info.cloexec, 0);
	assert_int_equal(info.flags, O_RDWR);
	fd = sys_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_int_equal(sockcore_fdinfo(fd, &info), 0);
	assert_int_equal(info.fd, 1);
	assert_int_equal(info.family, AF_UNIX);
	assert_int_equal(info.type, SOCK_SEQPACKET);
	assert_int_equal(sockcore_fdinfo(2, &info), -EBADF);
	assert_int_equal(sockcore_fdinfo(-1, &info), -EBADF);
	assert_int_equal(sys_close(1), 0);
	assert_int_equal(sockcore_fdinfo(1, &info), -EBADF);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_default_table),
		T(test_create_get_put),
		T(test_tables_per_thread),
		T(test_growth),
		T(test_limits),
		T(test_nr_files),
		T(test_fdinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
