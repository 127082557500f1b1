/* SPDX-License-Identifier: MIT */
/*
 * test_inet_concurrency - AF_INET creation racing the protocol switch and
 * the raw table: threads create and close TCP, UDP and raw sockets while
 * one walks the raw table and another adds and removes a switch
 * entry that the creating threads use, and UDP-Lite sockets are made
 * while its module is being unloaded. Meant for ThreadSanitizer as much
 * as for the counts checked at the end.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>

#define CREATORS	3
#define ROUNDS		400
#define EXTRA_PROTO	201

static struct inet_protosw extra = {
	.type = SOCK_DGRAM, .protocol = EXTRA_PROTO,
	.prot = &udp_prot, .ops = &inet_dgram_ops,
};

static int stop;		/* atomic */
static int creators_failed;	/* atomic */

static void note_failure(void)
{
	__atomic_fetch_add(&creators_failed, 1, __ATOMIC_RELAXED);
}

static void create_close(int type, int protocol)
{
	int fd = sys_socket(AF_INET, type, protocol);

	if (fd < 0 || sys_close(fd) != 0)
		note_failure();
}

static void *creator(void *arg)
{
	int i, fd;

	for (i = 0; i < ROUNDS; i++) {
		create_close(SOCK_STREAM, 0);
		create_close(SOCK_DGRAM, IPPROTO_UDP);
		create_close(SOCK_RAW, IPPROTO_ICMP + (i & 7));
		/* Present or not, depending on the switch thread. */
		fd = sys_socket(AF_INET, SOCK_DGRAM, EXTRA_PROTO);
		if (fd >= 0)
			sys_close(fd);
		else if (fd != -EPROTONOSUPPORT)
			note_failure();
	}
	return NULL;
}

static int count_fn(const struct sock *sk, void *arg)
{
	/* Read what a /proc reader reads: the sock must still be a sock. */
	if (sk->sk_family != AF_INET)
		(*(long *)arg) = -1000000;
	else
		(*(long *)arg)++;
	return 0;
}

static void *raw_walker(void *arg)
{
	long *bad = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		long n = 0;

		raw_for_each(&init_net, count_fn, &n);
		if (n < 0)
			(*bad)++;
	}
	return NULL;
}

static void *switcher(void *arg)
{
	int *errs = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		if (inet_register_protosw(&extra) != 0)
			(*errs)++;
		if (inet_unregister_protosw(&extra) != 0)
			(*errs)++;
	}
	return NULL;
}

static void test_create_against_switch_and_walkers(void **state)
{
	pthread_t creators[CREATORS], walker, sw;
	long raw_before, tcp_before, udp_before, all_before;
	long bad_walks = 0;
	int switch_errs = 0;
	int i;

	assert_int_equal(sockcore_init(), 0);
	raw_before = sock_prot_inuse_get(&init_net, &raw_prot);
	tcp_before = sock_prot_inuse_get(&init_net, &tcp_prot);
	udp_before = sock_prot_inuse_get(&init_net, &udp_prot);
	all_before = sock_inuse_get(&init_net);

	assert_int_equal(pthread_create(&walker, NULL, raw_walker, &bad_walks), 0);
	assert_int_equal(pthread_create(&sw, NULL, switcher, &switch_errs), 0);
	for (i = 0; i < CREATORS; i++)
		assert_int_equal(pthread_create(&creators[i], NULL, creator,
						NULL), 0);
	for (i = 0; i < CREATORS; i++)
		assert_int_equal(pthread_join(creators[i], NULL), 0);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(walker, NULL), 0);
	assert_int_equal(pthread_join(sw, NULL), 0);

	assert_int_equal(creators_failed, 0);
	assert_int_equal(bad_walks, 0);
	assert_int_equal(switch_errs, 0);
	assert_int_equal(sock_prot_inuse_get(&init_net, &raw_prot), raw_before);
	assert_int_equal(sock_prot_inuse_get(&init_net, &tcp_prot), tcp_before);
	assert_int_equal(sock_prot_inuse_get(&init_net, &udp_prot), udp_before);
	assert_int_equal(sock_inuse_get(&init_net), all_before);
}

static int users_done;		/* atomic */

/* UDP-Lite sockets made and closed while the module is being unloaded. */
static void *udplite_user(void *arg)
{
	int i, fd;

	for (i = 0; i < ROUNDS / 2; i++) {
		fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
		/* Caught while going away: absent, as in the kernel. */
		if (fd == -EPROTONOSUPPORT)
			continue;
		if (fd < 0 || sys_close(fd) != 0)
			note_failure();
		/* Leave the unloader windows with no socket open. */
		sched_yield();
	}
	__atomic_fetch_add(&users_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_create_against_module_unload(void **state)
{
	pthread_t users[2];
	int i, err, unloads = 0, other = 0;
	long all_before = sock_inuse_get(&init_net);

	__atomic_store_n(&creators_failed, 0, __ATOMIC_RELAXED);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&users[i], NULL, udplite_user,
						NULL), 0);
	/* Until both users are done: they make the module come back. */
	while (__atomic_load_n(&users_done, __ATOMIC_ACQUIRE) < 2) {
		err = sockcore_module_unload("udplite");
		if (err == 0)
			unloads++;
		else if (err != -EBUSY && err != -ENOENT)
			other++;
		sched_yield();
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(users[i], NULL), 0);

	assert_int_equal(creators_failed, 0);
	assert_int_equal(other, 0);
	assert_int_equal(sock_inuse_get(&init_net), all_before);
	/* Idle now: it goes (or is gone already). */
	err = sockcore_module_unload("udplite");
	assert_true(err == 0 || err == -ENOENT);
	print_message("udplite unloaded %d times under load (other %d)\n", unloads, other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_against_switch_and_walkers),
		cmocka_unit_test(test_create_against_module_unload),
	};
	int ret;

	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
