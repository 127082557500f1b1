/* SPDX-License-Identifier: MIT */
/*
 * test_security - the stackable security hooks on the creation path:
 * socket_create (before anything is allocated), socket_post_create (the
 * finished socket is released), sk_alloc_security (the family's
 * allocation errno), sk_free_security (once per freed sock), stacking
 * order, and registration errors.
 */
#include <errno.h>
#include <fcntl.h>
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

/* What the hooks saw and what they answer. Only this thread creates
 * sockets while hooks are registered, so plain counters suffice. */
struct lsm_state {
	int create_calls, post_calls, alloc_calls, free_calls;
	int create_err, post_err, alloc_err;
	int deny_family;	/* -1: every family */
	int last_family, last_type, last_protocol, last_kern;
	struct socket *last_sock;
	int post_had_sk;
};

static struct lsm_state sa, sb;

static int frees(const struct lsm_state *s)
{
	return __atomic_load_n(&s->free_calls, __ATOMIC_RELAXED);
}

/* Wait (bounded) for deferred frees: SOCK_RCU_FREE socks are freed, and
 * their sk_free_security run, after a grace period, as in the kernel. */
static int frees_eventually(const struct lsm_state *s, int want)
{
	for (int i = 0; i < 500 && frees(s) < want; i++)
		usleep(10000);
	return frees(s);
}

static bool applies(const struct lsm_state *s, int family)
{
	return s->deny_family < 0 || s->deny_family == family;
}

#define DEFINE_HOOKS(x)							\
static int x##_create(int family, int type, int protocol, int kern)	\
{									\
	s##x.create_calls++;						\
	s##x.last_family = family;					\
	s##x.last_type = type;						\
	s##x.last_protocol = protocol;					\
	s##x.last_kern = kern;						\
	return applies(&s##x, family) ? s##x.create_err : 0;		\
}									\
static int x##_post(struct socket *sock, int family, int type,		\
		int protocol, int kern)					\
{									\
	s##x.post_calls++;						\
	s##x.last_sock = sock;						\
	s##x.post_had_sk = sock && sock->sk && sock->ops;		\
	return applies(&s##x, family) ? s##x.post_err : 0;		\
}									\
static int x##_alloc(struct sock *sk, int family, gfp_t prio)		\
{									\
	s##x.alloc_calls++;						\
	return applies(&s##x, family) ? s##x.alloc_err : 0;		\
}									\
static void x##_free(struct sock *sk)					\
{	/* may run on the call_rcu thread (SOCK_RCU_FREE socks) */	\
	__atomic_fetch_add(&s##x.free_calls, 1, __ATOMIC_RELAXED);	\
}									\
static struct security_operations ops_##x = {				\
	.name = "test_" #x,						\
	.socket_create = x##_create,					\
	.socket_post_create = x##_post,					\
	.sk_alloc_security = x##_alloc,					\
	.sk_free_security = x##_free,					\
}

DEFINE_HOOKS(a);
DEFINE_HOOKS(b);

static int setup(void **state)
{
	sc_setup_fresh(state);
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	sa.deny_family = sb.deny_family = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	security_delete_hooks(&ops_a);
	security_delete_hooks(&ops_b);
	return sc_teardown_fresh(state);
}

static void test_socket_create_denied(void **state)
{
	struct sc_counters before;

	(void)state;
	sa.create_err = -EACCES;
	sa.deny_family = AF_INET;
	assert_int_equal(security_add_hooks(&ops_a), 0);
	before = sc_counters_now();
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -EACCES);
	assert_int_equal(sa.create_calls, 1);
	assert_int_equal(sa.last_family, AF_INET);
	assert_int_equal(sa.last_type, SOCK_STREAM);	/* no flag bits */
	assert_int_equal(sa.last_protocol, 0);
	assert_int_equal(sa.last_kern, 0);
	/* nothing was allocated: neither sock nor file nor descriptor */
	assert_int_equal(sa.alloc_calls, 0);
	assert_int_equal(sa.post_calls, 0);
	assert_counters_equal(sc_counters_now(), before);
	/* an unusual errno comes back as is */
	sa.create_err = -ENOKEY;
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 17), -ENOKEY);
	assert_int_equal(sa.last_type, SOCK_DGRAM);
	assert_int_equal(sa.last_protocol, 17);
	/* other families pass */
	int fd = sys_socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sa.post_calls, 1);
	assert_int_equal(sys_close(fd), 0);
	/* the hook sees the family after the (PF_INET, SOCK_PACKET)
	 * rewrite, and is not reached for argument errors found before */
	int calls = sa.create_calls;
	fd = sys_socket(PF_INET, SOCK_PACKET, 0);
	if (fd >= 0)
		assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sa.last_family, PF_PACKET);
	assert_int_equal(sys_socket(-1, SOCK_STREAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(AF_INET, 11, 0), -EINVAL);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM | 0x100, 0), -EINVAL);
	assert_int_equal(sa.create_calls, calls + 1);
	/* kernel sockets are checked too, with kern = 1 */
	struct socket *sock;
	assert_int_equal(sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, 0, &sock),
			 -ENOKEY);
	assert_int_equal(sa.last_kern, 1);
	/* with the hooks gone, creation works again */
	assert_int_equal(security_delete_hooks(&ops_a), 0);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, 0), 0);
	assert_int_equal(sa.create_calls, calls + 2);
}

static void test_post_create_denied(void **state)
{
	struct sc_counters before;

	(void)state;
	sa.post_err = -EPERM;
	assert_int_equal(security_add_hooks(&ops_a), 0);
	before = sc_counters_now();
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -EPERM);
	assert_int_equal(sys_socket(AF_INET6, SOCK_DGRAM, 0), -EPERM);
	assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), -EPERM);
	assert_int_equal(sa.post_calls, 3);
	assert_true(sa.post_had_sk);	/* it saw the finished socket */
	/* the socket was released: sock, file, counters all back */
	assert_int_equal(sa.alloc_calls, 3);
	assert_int_equal(frees(&sa), 3);
	assert_counters_equal(sc_counters_now(), before);
	/* a module-owned socket gives its module reference back */
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), -EPERM);
	assert_counters_equal(sc_counters_now(), before);
	assert_int_equal(security_delete_hooks(&ops_a), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
}

static void test_sk_alloc_denied(void **state)
{
	struct sc_counters before;

	(void)state;
	sa.alloc_err = -EACCES;	/* replaced by the family's own errno */
	assert_int_equal(security_add_hooks(&ops_a), 0);
	before = sc_counters_now();
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -ENOMEM);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), -ENOMEM);
	assert_int_equal(sys_socket(AF_INET6, SOCK_STREAM, 0), -ENOBUFS);
	assert_int_equal(sa.alloc_calls, 3);
	assert_int_equal(sa.post_calls, 0);
	assert_counters_equal(sc_counters_now(), before);
}

/*
 * When a later module's sk_alloc_security fails, the modules before it that
 * succeeded (and may have allocated per-sock state) must see
 * sk_free_security: the kernel's security_sk_alloc() calls
 * security_sk_free(sk) on failure.
 */
static void test_sk_alloc_denied_frees_earlier_modules(void **state)
{
	(void)state;
	sb.alloc_err = -ENOMEM;
	assert_int_equal(security_add_hooks(&ops_a), 0);
	assert_int_equal(security_add_hooks(&ops_b), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -ENOMEM);
	assert_int_equal(sa.alloc_calls, 1);
	assert_int_equal(sb.alloc_calls, 1);
	assert_int_equal(frees(&sa), sa.alloc_calls);
}

static void test_sk_free_once_per_sock(void **state)
{
	struct socket *sock;
	int fd[6], sv[2];

	(void)state;
	assert_int_equal(security_add_hooks(&ops_a), 0);
	fd[0] = sys_socket(AF_INET, SOCK_STREAM, 0);
	fd[1] = sys_socket(AF_INET6, SOCK_DGRAM, 0);
	fd[2] = sys_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	fd[3] = sys_socket(AF_NETLINK, SOCK_RAW, 0);
	fd[4] = sys_socket(AF_PACKET, SOCK_DGRAM, 0);
	fd[5] = sys_socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	assert_int_equal(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(sock_create_kern(&init_net, AF_INET, SOCK_DGRAM, 0, &sock), 0);
	int made = 0;
	for (int i = 0; i < 6; i++)
		made += fd[i] >= 0;
	made += 3;
	assert_int_equal(sa.alloc_calls, made);
	assert_int_equal(sa.post_calls, made);
	assert_int_equal(frees(&sa), 0);
	/* a duplicate does not free: the last close does */
	int d = sys_fcntl(fd[0], F_DUPFD, 0);
	assert_int_equal(sys_close(fd[0]), 0);
	assert_int_equal(frees(&sa), 0);
	assert_int_equal(sys_close(d), 0);
	assert_int_equal(frees(&sa), 1);
	for (int i = 1; i < 6; i++)
		if (fd[i] >= 0)
			assert_int_equal(sys_close(fd[i]), 0);
	sys_close(sv[0]);
	sys_close(sv[1]);
	sock_release(sock);
	/* all freed: the raw one (fd[5]) perhaps only after a grace period */
	assert_true(frees(&sa) >= made - (fd[5] >= 0));
	assert_int_equal(frees_eventually(&sa, made), made);
}

static void test_stacking_order(void **state)
{
	(void)state;
	sa.create_err = -EACCES;
	sb.create_err = -EPERM;
	assert_int_equal(security_add_hooks(&ops_a), 0);
	assert_int_equal(security_add_hooks(&ops_b), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -EACCES);
	assert_int_equal(sa.create_calls, 1);
	assert_int_equal(sb.create_calls, 0);	/* not reached */
	/* the first allows: the second decides */
	sa.create_err = 0;
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -EPERM);
	assert_int_equal(sa.create_calls, 2);
	assert_int_equal(sb.create_calls, 1);
	/* re-registered in the other order */
	sa.create_err = -EACCES;
	assert_int_equal(security_delete_hooks(&ops_a), 0);
	assert_int_equal(security_add_hooks(&ops_a), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -EPERM);
	assert_int_equal(sa.create_calls, 2);
	/* post_create stacking too: both allow, both called once */
	sa.create_err = sb.create_err = 0;
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sa.post_calls, 1);
	assert_int_equal(sb.post_calls, 1);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(frees(&sa), 1);
	assert_int_equal(frees(&sb), 1);
}

static int collect_names(const char *name, void *arg)
{
	char *buf = arg;

	strcat(buf, name);
	strcat(buf, ",");
	return 0;
}

static int stop_at_first(const char *name, void *arg)
{
	(*(int *)arg)++;
	return 7;
}

static void test_registration(void **state)
{
	struct security_operations noname = { .name = NULL };
	struct security_operations same_name = { .name = "test_a" };
	char names[256] = "";
	int n = 0;

	(void)state;
	assert_int_equal(security_add_hooks(NULL), -EINVAL);
	assert_int_equal(security_add_hooks(&noname), -EINVAL);
	assert_int_equal(security_delete_hooks(&ops_a), -ENOENT);
	assert_int_equal(security_add_hooks(&ops_a), 0);
	assert_int_equal(security_add_hooks(&ops_a), -EEXIST);
	assert_int_equal(security_add_hooks(&same_name), -EEXIST);
	assert_int_equal(security_add_hooks(&ops_b), 0);
	assert_int_equal(security_for_each(collect_names, names), 0);
	assert_string_equal(names, "test_a,test_b,");
	assert_int_equal(security_for_each(stop_at_first, &n), 7);
	assert_int_equal(n, 1);
	assert_int_equal(security_delete_hooks(&ops_a), 0);
	assert_int_equal(security_delete_hooks(&ops_a), -ENOENT);
	assert_int_equal(security_delete_hooks(&same_name), -ENOENT);
	names[0] = '\0';
	security_for_each(collect_names, names);
	assert_string_equal(names, "test_b,");
	assert_int_equal(security_delete_hooks(&ops_b), 0);
	names[0] = '\0';
	assert_int_equal(security_for_each(collect_names, names), 0);
	assert_string_equal(names, "");
	/* nothing registered: creation calls no hook */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, 0), 0);
	assert_int_equal(sa.create_calls + sb.create_calls, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_socket_create_denied),
		T(test_post_create_denied),
		T(test_sk_alloc_denied),
		T(test_sk_alloc_denied_frees_earlier_modules),
		T(test_sk_free_once_per_sock),
		T(test_stacking_order),
		T(test_registration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
