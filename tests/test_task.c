/* SPDX-License-Identifier: MIT */
/*
 * test_task - "current": credentials read from the process, overridden
 * per thread, refreshed; capable/ns_capable/in_group_range; the per-thread
 * namespace and descriptor table, and what a thread's exit gives back.
 */
#include <errno.h>
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

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(sockcore_cred_refresh(), 0);
	sockcore_switch_net(NULL);
	sockcore_switch_files(NULL);
	return 0;
}

static void test_cred_from_process(void **state)
{
	gid_t groups[SOCKCORE_NGROUPS_MAX];
	uid_t r, e, s;
	gid_t rg, eg, sg;
	struct cred c;
	int n;

	(void)state;
	sockcore_cred_get(&c);
	assert_int_equal(getresuid(&r, &e, &s), 0);
	assert_int_equal(getresgid(&rg, &eg, &sg), 0);
	assert_int_equal(c.uid, r);
	assert_int_equal(c.euid, e);
	assert_int_equal(c.gid, rg);
	assert_int_equal(c.egid, eg);
	n = getgroups(SOCKCORE_NGROUPS_MAX, groups);
	assert_true(n >= 0);
	assert_int_equal(c.ngroups, n);
	assert_memory_equal(c.groups, groups, (size_t)n * sizeof(gid_t));
	assert_int_equal(c.cap_effective, sc_real_caps());
	/* as root here: CAP_NET_RAW is there, in the one user namespace */
	assert_int_equal(capable(CAP_NET_RAW), (sc_real_caps() >> CAP_NET_RAW) & 1);
	assert_int_equal(ns_capable(&init_user_ns, CAP_NET_RAW), capable(CAP_NET_RAW));
	assert_int_equal(ns_capable(init_net.user_ns, CAP_SYS_ADMIN),
			 capable(CAP_SYS_ADMIN));
	if (geteuid() == 0)
		assert_true(capable(CAP_NET_RAW));
	/* out of range */
	assert_false(capable(-1));
	assert_false(capable(64));
	assert_false(capable(1000));
}

struct seen {
	struct cred cred;
	bool net_raw;
	struct net *net;
	struct files_struct *files;
};

static void *observer(void *arg)
{
	struct seen *s = arg;

	sockcore_cred_get(&s->cred);
	s->net_raw = capable(CAP_NET_RAW);
	s->net = current_net();
	s->files = current_files();
	return NULL;
}

static void observe_from_thread(struct seen *s)
{
	pthread_t th;

	assert_int_equal(pthread_create(&th, NULL, observer, s), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
}

static void test_cred_set_is_per_thread(void **state)
{
	struct seen s;
	struct cred c;

	(void)state;
	sc_cred_unprivileged();
	sockcore_cred_get(&c);
	assert_int_equal(c.uid, 65534);
	assert_int_equal(c.euid, 65534);
	assert_int_equal(c.egid, 65534);
	assert_int_equal(c.cap_effective, 0);
	assert_false(capable(CAP_NET_RAW));
	assert_false(ns_capable(&init_user_ns, CAP_NET_RAW));
	/* the library acts on it: raw and packet sockets refused */
	assert_int_equal(sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), -EPERM);
	assert_int_equal(sys_socket(AF_PACKET, SOCK_RAW, 0), -EPERM);
	/* another thread still has the process's credentials */
	observe_from_thread(&s);
	assert_int_equal(s.cred.euid, geteuid());
	assert_int_equal(s.cred.cap_effective, sc_real_caps());
	assert_int_equal(s.net_raw, (sc_real_caps() >> CAP_NET_RAW) & 1);
	/* refresh: back to the process's */
	assert_int_equal(sockcore_cred_refresh(), 0);
	sockcore_cred_get(&c);
	assert_int_equal(c.euid, geteuid());
	assert_int_equal(c.cap_effective, sc_real_caps());
	if (geteuid() == 0) {
		int fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

		assert_true(fd >= 0);
		assert_int_equal(sys_close(fd), 0);
	}
}

static void test_cred_set_clamps_groups(void **state)
{
	struct cred c;

	(void)state;
	sockcore_cred_get(&c);
	c.ngroups = -5;
	sockcore_cred_set(&c);
	sockcore_cred_get(&c);
	assert_int_equal(c.ngroups, 0);
	c.ngroups = 1000;
	sockcore_cred_set(&c);
	sockcore_cred_get(&c);
	assert_int_equal(c.ngroups, SOCKCORE_NGROUPS_MAX);
}

static void test_in_group_range(void **state)
{
	struct cred c;

	(void)state;
	sockcore_cred_get(&c);
	c.gid = 7;		/* the real gid does not count */
	c.egid = 100;
	c.ngroups = 2;
	c.groups[0] = 5;
	c.groups[1] = 200;
	sockcore_cred_set(&c);
	assert_true(in_group_range(100, 100));
	assert_true(in_group_range(0, 4294967294U));
	assert_true(in_group_range(5, 5));
	assert_true(in_group_range(150, 250));
	assert_false(in_group_range(7, 7));
	assert_false(in_group_range(6, 99));
	assert_false(in_group_range(101, 199));
	assert_false(in_group_range(201, 300));
	/* the default ping_group_range "1 0" is empty: nobody, root too */
	assert_false(in_group_range(1, 0));
	c.ngroups = 0;
	c.egid = 0;
	sockcore_cred_set(&c);
	assert_false(in_group_range(1, 0));
	assert_true(in_group_range(0, 0));
	assert_false(in_group_range(5, 5));
	/* the ping path uses it: gid 0 is outside "1 0" */
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), -EACCES);
}

static void test_net_and_files_per_thread(void **state)
{
	struct net *net = net_create();
	struct files_struct *files = files_create(0);
	struct seen s;

	(void)state;
	assert_non_null(net);
	assert_non_null(files);
	assert_ptr_equal(current_net(), &init_net);
	assert_ptr_equal(current_files(), files_default());
	sockcore_switch_net(net);
	assert_int_equal(net->refcnt, 2);
	sockcore_switch_files(files);
	assert_ptr_equal(current_net(), net);
	assert_ptr_equal(current_files(), files);
	/* a new thread starts from the defaults */
	observe_from_thread(&s);
	assert_ptr_equal(s.net, &init_net);
	assert_ptr_equal(s.files, files_default());
	/* switching again drops the old reference */
	sockcore_switch_net(&init_net);
	assert_ptr_equal(current_net(), &init_net);
	assert_int_equal(net->refcnt, 1);
	sockcore_switch_net(net);
	sockcore_switch_net(NULL);
	assert_int_equal(net->refcnt, 1);
	sockcore_switch_files(NULL);
	put_net(net);
	files_put(files);
}

struct exiting {
	struct net *net;
	struct files_struct *files;
	int fd;
};

static void *exiting_thread(void *arg)
{
	struct exiting *e = arg;

	sockcore_switch_net(e->net);
	sockcore_switch_files(e->files);
	e->fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	return NULL;	/* the task context's references go with the thread */
}

static void test_thread_exit_drops_references(void **state)
{
	struct exiting e = { .fd = -1 };
	pthread_t th;

	(void)state;
	e.net = net_create();
	e.files = files_create(0);
	assert_non_null(e.net);
	assert_non_null(e.files);
	assert_int_equal(pthread_create(&th, NULL, exiting_thread, &e), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(e.fd, 0);
	/* ours, plus the socket's pin on its namespace; not the thread's */
	assert_int_equal(e.net->refcnt, 2);
	assert_int_equal(files_count(e.files), 1);
	assert_int_equal(sock_inuse_get(e.net), 1);
	/* ours is the last reference on the table: closing it frees the
	 * socket, which lets go of the namespace */
	files_put(e.files);
	assert_int_equal(sock_inuse_get(e.net), 0);
	assert_int_equal(e.net->refcnt, 1);
	put_net(e.net);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cred_from_process),
		T(test_cred_set_is_per_thread),
		T(test_cred_set_clamps_groups),
		T(test_in_group_range),
		T(test_net_and_files_per_thread),
		T(test_thread_exit_drops_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
