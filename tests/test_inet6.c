/* SPDX-License-Identifier: MIT */
/*
 * test_inet6 - AF_INET6 socket creation (inet6_create, inetsw6, the
 * TCPv6/UDPv6/PINGv6/RAWv6 protos, the udplite6 and mptcp modules, the
 * ipv6_pinfo at the end of each object) through the public API, with the
 * real kernel as the oracle.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include <sockcore/ipv6.h>
#include "test_util.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * What the real kernel says to nobody (uid/gid 65534, no capabilities),
 * asked in forked children. Not under ThreadSanitizer: jemalloc's fork
 * handlers hold more mutexes at once than its deadlock detector can track
 * (a CHECK failure), so there only the library's side is checked.
 */
struct nobody_cell {
	int type, protocol;
	int err;		/* expected errno, 0 for success */
	int kernel_err;		/* the kernel's, filled in by main() */
};

static struct nobody_cell nobody_cells[] = {
	{ SOCK_RAW, IPPROTO_ICMPV6, EPERM, -1 },
	{ SOCK_RAW, IPPROTO_RAW, EPERM, -1 },
	{ SOCK_RAW, 0, EPROTONOSUPPORT, -1 },
	{ SOCK_RAW, 263, EINVAL, -1 },
	{ SOCK_DGRAM, IPPROTO_ICMPV6, EACCES, -1 },
	{ SOCK_STREAM, 0, 0, -1 },
	{ SOCK_DGRAM, 0, 0, -1 },
};

/* In a forked child: exits with socket(2)'s errno as nobody. */
static int kernel_socket_as_nobody(void *arg)
{
	const struct nobody_cell *c = arg;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return 255;
	return kernel_socket_errno(AF_INET6, c->type, c->protocol);
}

static void ask_kernel_as_nobody(void)
{
	size_t i;

	for (i = 0; i < N(nobody_cells); i++) {
#if defined(SOCKCORE_TSAN)
		(void)kernel_socket_as_nobody;
		nobody_cells[i].kernel_err = -1;
#else
		nobody_cells[i].kernel_err =
			sc_run_child(kernel_socket_as_nobody, &nobody_cells[i]);
#endif
	}
}

static long inuse(const struct proto *prot)
{
	return sock_prot_inuse_get(current_net(), prot);
}

struct cell {
	int type, protocol;
	int err;	/* expected errno, 0 for success */
};

/* Every row of §4 (IPv6) as root: ours must be the kernel's answer, and on
 * success the same SO_DOMAIN/SO_TYPE/SO_PROTOCOL. */
static void test_against_kernel(void **state)
{
	static const struct cell cells[] = {
		{ SOCK_STREAM, 0, 0 }, { SOCK_STREAM, IPPROTO_TCP, 0 },
		{ SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT },
		{ SOCK_STREAM, IPPROTO_UDPLITE, EPROTONOSUPPORT },
		{ SOCK_STREAM, IPPROTO_MPTCP, 0 },
		{ SOCK_STREAM, 263, EINVAL }, { SOCK_STREAM, -1, EINVAL },
		{ SOCK_DGRAM, 0, 0 }, { SOCK_DGRAM, IPPROTO_UDP, 0 },
		{ SOCK_DGRAM, IPPROTO_ICMP, EPROTONOSUPPORT },
		{ SOCK_DGRAM, IPPROTO_ICMPV6, EACCES },
		{ SOCK_DGRAM, IPPROTO_UDPLITE, 0 },
		{ SOCK_DGRAM, IPPROTO_TCP, EPROTONOSUPPORT },
		{ SOCK_RAW, 0, EPROTONOSUPPORT }, { SOCK_RAW, IPPROTO_ICMP, 0 },
		{ SOCK_RAW, IPPROTO_ICMPV6, 0 }, { SOCK_RAW, IPPROTO_RAW, 0 },
		{ SOCK_RAW, 256, 0 }, { SOCK_RAW, 262, 0 },
		{ SOCK_RAW, 263, EINVAL }, { SOCK_RAW, -1, EINVAL },
		{ SOCK_RDM, 0, ESOCKTNOSUPPORT },
		{ SOCK_SEQPACKET, 0, ESOCKTNOSUPPORT },
		{ SOCK_SEQPACKET, IPPROTO_SCTP, ESOCKTNOSUPPORT },
		{ 6 /* SOCK_DCCP */, 0, ESOCKTNOSUPPORT },
		{ SOCK_PACKET, 0, ESOCKTNOSUPPORT },
		{ SOCK_PACKET, 3, ESOCKTNOSUPPORT },
		{ 11, 0, EINVAL },
	};
	static const int opts[] = {
		SO_DOMAIN, SO_TYPE, SO_PROTOCOL, SO_SNDBUF, SO_RCVBUF,
	};
	size_t i, j;

	for (i = 0; i < N(cells); i++) {
		const struct cell *c = &cells[i];
		int fd = sys_socket(AF_INET6, c->type, c->protocol);
		int kfd = socket(AF_INET6, c->type, c->protocol);
		int kerr = kfd < 0 ? errno : 0;

		if (fd < 0 ? -fd != c->err : c->err != 0)
			fail_msg("socket(AF_INET6, %d, %d): got %s, want %s",
				 c->type, c->protocol, strerror(fd < 0 ? -fd : 0),
				 strerror(c->err));
		assert_int_equal(kerr, c->err);
		if (fd < 0)
			continue;
		for (j = 0; j < N(opts); j++)
			assert_int_equal(sc_getsockopt_int(fd, opts[j]),
					 kernel_getsockopt_int(kfd, opts[j]));
		assert_int_equal(sys_close(fd), 0);
		close(kfd);
	}
}

/* Raw sockets need CAP_NET_RAW, checked after the lookup; ping sockets
 * need a group in ping_group_range. Compared with the kernel as nobody. */
static void test_unprivileged(void **state)
{
	size_t i;

	for (i = 0; i < N(nobody_cells); i++) {
		const struct nobody_cell *c = &nobody_cells[i];
		int got;

		sc_cred_unprivileged();
		got = sc_socket_errno(AF_INET6, c->type, c->protocol);
		assert_int_equal(sockcore_cred_refresh(), 0);
		assert_int_equal(got, c->err);
		if (c->kernel_err != -1)	/* -1: not asked (TSan) */
			assert_int_equal(c->kernel_err, c->err);
	}
}

/* A kernel socket skips the CAP_NET_RAW check. */
static void test_raw_kernel_socket(void **state)
{
	struct socket *sock = NULL;

	sc_cred_unprivileged();
	assert_int_equal(sock_create_kern(current_net(), AF_INET6, SOCK_RAW,
					  IPPROTO_ICMPV6, &sock), 0);
	assert_int_equal(sockcore_cred_refresh(), 0);
	assert_non_null(sock);
	sock_release(sock);
}

/* ping_group_range admits our group: PINGv6 works, is v6-only, counted. */
static void test_ping_group_range(void **state)
{
	gid_t *range = init_net.sysctl.ping_group_range;
	gid_t saved[2] = { range[0], range[1] };
	long before = inuse(&pingv6_prot);
	int fd;

	range[0] = 0;
	range[1] = 0x7fffffff;
	fd = sys_socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6);
	range[0] = saved[0];
	range[1] = saved[1];
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), IPPROTO_ICMPV6);
	assert_int_equal(fd_sock(fd)->sk_ipv6only, 1);
	assert_int_equal(fd_sock(fd)->sk_reuse, SK_CAN_REUSE);
	assert_int_equal(inuse(&pingv6_prot), before + 1);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(inuse(&pingv6_prot), before);
}

/* pinet6 lies inside the object, at its end, within the alignment slack. */
static void check_pinfo_placement(struct sock *sk)
{
	const struct proto *prot = sk->sk_prot;
	char *obj = (char *)sk, *np = (char *)inet_sk(sk)->pinet6;
	size_t slack;

	assert_non_null(np);
	assert_ptr_equal(np, obj + prot->ipv6_pinfo_offset);
	assert_ptr_equal(inet6_sk(sk), inet_sk(sk)->pinet6);
	assert_true(np + sizeof(struct ipv6_pinfo) <= obj + prot->obj_size);
	slack = (size_t)(obj + prot->obj_size - (np + sizeof(struct ipv6_pinfo)));
	assert_true(slack < _Alignof(struct ipv6_pinfo));
	assert_int_equal((uintptr_t)np % _Alignof(struct ipv6_pinfo), 0);
	assert_true(prot->ipv6_pinfo_offset >= sizeof(struct inet_sock));
}

static void test_pinfo_placement_and_defaults(void **state)
{
	static const struct { int type, protocol; const struct proto *prot; }
	socks[] = {
		{ SOCK_STREAM, 0, &tcpv6_prot },
		{ SOCK_DGRAM, 0, &udpv6_prot },
		{ SOCK_RAW, IPPROTO_ICMPV6, &rawv6_prot },
		{ SOCK_DGRAM, IPPROTO_UDPLITE, NULL },
		{ SOCK_STREAM, IPPROTO_MPTCP, NULL },
	};
	size_t i;

	for (i = 0; i < N(socks); i++) {
		int fd = sys_socket(AF_INET6, socks[i].type, socks[i].protocol);
		struct ipv6_pinfo *np;
		struct inet_sock *inet;
		struct sock *sk;

		assert_true(fd >= 0);
		sk = fd_sock(fd);
		inet = inet_sk(sk);
		if (socks[i].prot)
			assert_ptr_equal(sk->sk_prot, socks[i].prot);
		assert_int_equal(sk->sk_family, AF_INET6);
		check_pinfo_placement(sk);
		np = inet->pinet6;
		assert_int_equal(np->hop_limit, -1);
		assert_int_equal(np->mcast_hops, IPV6_DEFAULT_MCASTHOPS);
		assert_int_equal(np->mc_loop, 1);
		assert_int_equal(np->mc_all, 1);
		assert_int_equal(np->pmtudisc, IPV6_PMTUDISC_WANT);
		assert_int_equal(inet->uc_ttl, -1);
		assert_int_equal(inet->mc_ttl, 1);
		assert_int_equal(inet->mc_loop, 1);
		assert_int_equal(inet->pmtudisc, IP_PMTUDISC_WANT);
		assert_int_equal(inet->is_icsk, socks[i].type == SOCK_STREAM);
		assert_int_equal(sys_close(fd), 0);
	}
}

/* IPv6 sockets take IPv4's pmtudisc from the IPv4 sysctl. */
static void test_ipv4_part_pmtudisc(void **state)
{
	int fd;

	init_net.sysctl.ip_no_pmtu_disc = 1;
	fd = sys_socket(AF_INET6, SOCK_DGRAM, 0);
	init_net.sysctl.ip_no_pmtu_disc = 0;
	assert_true(fd >= 0);
	assert_int_equal(inet_sk(fd_sock(fd))->pmtudisc, IP_PMTUDISC_DONT);
	assert_int_equal(inet_sk(fd_sock(fd))->pinet6->pmtudisc,
			 IPV6_PMTUDISC_WANT);
	assert_int_equal(sys_close(fd), 0);
}

static int count_raw6(const struct sock *sk, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* Raw sockets: number and port from the protocol, IPPROTO_RAW is
 * header-included, and each is in the namespace's raw6 table. */
static void test_raw_sockets(void **state)
{
	long before = inuse(&rawv6_prot);
	int fd1, fd2, n = 0;
	struct sock *sk;

	fd1 = sys_socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	fd2 = sys_socket(AF_INET6, SOCK_RAW, 262);
	assert_true(fd1 >= 0 && fd2 >= 0);
	sk = fd_sock(fd1);
	assert_int_equal(inet_sk(sk)->inet_num, IPPROTO_RAW);
	assert_int_equal(inet_sk(sk)->inet_sport, htons(IPPROTO_RAW));
	assert_int_equal(inet_sk(sk)->hdrincl, 1);
	assert_int_equal(sk->sk_reuse, SK_CAN_REUSE);
	sk = fd_sock(fd2);
	assert_int_equal(inet_sk(sk)->inet_num, 262);
	assert_int_equal(inet_sk(sk)->hdrincl, 0);
	assert_int_equal(inuse(&rawv6_prot), before + 2);
	assert_int_equal(raw6_for_each(current_net(), count_raw6, &n), 0);
	assert_int_equal(n, 2);
	/* The IPv4 table does not see them. */
	n = 0;
	assert_int_equal(raw_for_each(current_net(), count_raw6, &n), 0);
	assert_int_equal(n, 0);

	assert_int_equal(sys_close(fd1), 0);
	assert_int_equal(sys_close(fd2), 0);
	assert_int_equal(inuse(&rawv6_prot), before);
	n = 0;
	assert_int_equal(raw6_for_each(current_net(), count_raw6, &n), 0);
	assert_int_equal(n, 0);
}

/* MPTCP refuses with ENOPROTOOPT where it is disabled. */
static void test_mptcp_disabled(void **state)
{
	int saved = init_net.sysctl.mptcp_enabled;
	int got;

	assert_int_equal(sc_socket_errno(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP), 0);
	init_net.sysctl.mptcp_enabled = 0;
	got = sc_socket_errno(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP);
	init_net.sysctl.mptcp_enabled = saved;
	assert_int_equal(got, ENOPROTOOPT);
}

static int find_proto6(const struct inet_protosw *p, void *arg)
{
	return p->protocol == *(int *)arg;
}

/* The module entries come after the PERMANENT ones; the builtin
 * PERMANENT entries can be neither overridden nor removed. */
static void test_protosw_rules(void **state)
{
	static struct inet_protosw tcp_again = {
		.type = SOCK_STREAM, .protocol = IPPROTO_TCP,
		.prot = &tcpv6_prot, .ops = &inet6_stream_ops,
	};
	static struct inet_protosw bad_type = {
		.type = SOCK_MAX, .protocol = 200,
		.prot = &udpv6_prot, .ops = &inet6_dgram_ops,
	};
	static struct inet_protosw perm = {
		.type = SOCK_DGRAM, .protocol = IPPROTO_UDP,
		.prot = &udpv6_prot, .ops = &inet6_dgram_ops,
		.flags = INET_PROTOSW_PERMANENT,
	};
	static struct inet_protosw extra = {
		.type = SOCK_DGRAM, .protocol = 200,
		.prot = &udpv6_prot, .ops = &inet6_dgram_ops,
	};
	int proto = 200, fd;

	assert_int_equal(inet6_register_protosw(&tcp_again), -EPERM);
	assert_int_equal(inet6_register_protosw(&bad_type), -EINVAL);
	assert_int_equal(inet6_unregister_protosw(&perm), -EPERM);
	assert_int_equal(sc_socket_errno(AF_INET6, SOCK_DGRAM, 200),
			 EPROTONOSUPPORT);

	assert_int_equal(inet6_register_protosw(&extra), 0);
	assert_int_equal(inet6_protosw_for_each(find_proto6, &proto), 1);
	fd = sys_socket(AF_INET6, SOCK_DGRAM, 200);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), 200);
	/* The default of the type is still UDP. */
	assert_int_equal(sc_socket_errno(AF_INET6, SOCK_DGRAM, 0), 0);
	assert_int_equal(inet6_unregister_protosw(&extra), 0);
	assert_int_equal(inet6_protosw_for_each(find_proto6, &proto), 0);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sc_socket_errno(AF_INET6, SOCK_DGRAM, 200),
			 EPROTONOSUPPORT);
}

/* Caches named after the protos, with the kernel's sizes and flags (but
 * RAWv6 is type-stable: docs/kernel-mapping.md, difference 19). */
static void test_proto_caches(void **state)
{
	static const struct {
		const char *name;
		unsigned int size;
		int rcu;
	} caches[] = {
		{ "TCPv6", 2432, 1 }, { "UDPv6", 1472, 1 },
		{ "PINGv6", 1344, 0 }, { "RAWv6", 1344, 1 },
	};
	struct kmem_cache_stats st;
	size_t i;

	for (i = 0; i < N(caches); i++) {
		struct kmem_cache *s = kmem_cache_find(caches[i].name);

		assert_non_null(s);
		assert_int_equal(kmem_cache_size(s), caches[i].size);
		assert_int_equal(kmem_cache_get_stats(s, &st), 0);
		assert_int_equal((st.flags & SLAB_TYPESAFE_BY_RCU) != 0,
				 caches[i].rcu);
	}
}

/* sk_alloc() failing is ENOBUFS for IPv6, with nothing left behind. */
static void test_sk_alloc_failure(void **state)
{
	static const struct {
		const char *cache;
		int type;
		const struct proto *prot;
	} cases[] = {
		{ "TCPv6", SOCK_STREAM, &tcpv6_prot },
		{ "UDPv6", SOCK_DGRAM, &udpv6_prot },
		{ "RAWv6", SOCK_RAW, &rawv6_prot },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct failslab_attr fa = {
			.probability = 100, .interval = 1, .times = 1,
		};
		int protocol = cases[i].type == SOCK_RAW ? IPPROTO_ICMPV6 : 0;
		struct sc_counters before = sc_counters_now();
		long in = inuse(cases[i].prot);

		strcpy(fa.cache_filter, cases[i].cache);
		assert_int_equal(failslab_set(&fa), 0);
		assert_int_equal(sys_socket(AF_INET6, cases[i].type, protocol),
				 -ENOBUFS);
		assert_int_equal(failslab_injected(), 1);
		assert_int_equal(failslab_set(NULL), 0);

		assert_counters_equal(sc_counters_now(), before);
		assert_int_equal(inuse(cases[i].prot), in);
		assert_int_equal(sc_socket_errno(AF_INET6, cases[i].type,
						 protocol), 0);
	}
}

/* socketpair() is not for IPv6: EOPNOTSUPP, and no descriptor made. */
static void test_socketpair(void **state)
{
	unsigned int open = files_count(current_files());
	int sv[2] = { -1, -1 }, ksv[2];

	assert_int_equal(sys_socketpair(AF_INET6, SOCK_STREAM, 0, sv),
			 -EOPNOTSUPP);
	assert_int_equal(socketpair(AF_INET6, SOCK_STREAM, 0, ksv), -1);
	assert_int_equal(errno, EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_INET6, SOCK_DGRAM, 0, sv),
			 -EOPNOTSUPP);
	assert_int_equal(sys_socketpair(AF_INET6, SOCK_RAW, 0, sv),
			 -EPROTONOSUPPORT);
	assert_int_equal(files_count(current_files()), open);
}

#define UNLOAD_ROUNDS 1000

struct module_user {
	int protocol, type;
	int failed;		/* atomic */
	int done;		/* atomic */
};

/* Sockets of a module's protocol, made and closed while the module is
 * being unloaded: each either works or finds it absent. */
static void *module_user(void *arg)
{
	struct module_user *u = arg;
	int i, fd;

	for (i = 0; i < UNLOAD_ROUNDS; i++) {
		fd = sys_socket(AF_INET6, u->type, u->protocol);
		if (fd == -EPROTONOSUPPORT)
			continue;
		if (fd < 0 || sys_close(fd) != 0)
			__atomic_fetch_add(&u->failed, 1, __ATOMIC_RELAXED);
		sched_yield();
	}
	__atomic_store_n(&u->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void check_create_against_unload(const char *name, int type,
		int protocol)
{
	struct module_user u = { .protocol = protocol, .type = type };
	long all = sock_inuse_get(current_net());
	int err, other = 0, unloads = 0;
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, module_user, &u), 0);
	while (!__atomic_load_n(&u.done, __ATOMIC_ACQUIRE)) {
		err = sockcore_module_unload(name);
		if (!err)
			unloads++;
		else if (err != -EBUSY && err != -ENOENT)
			other++;
		sched_yield();
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(u.failed, 0);
	assert_int_equal(other, 0);
	assert_int_equal(sock_inuse_get(current_net()), all);
	err = sockcore_module_unload(name);
	assert_true(err == 0 || err == -ENOENT);
	print_message("%s unloaded %d times under load\n", name, unloads);
}

static void test_create_against_module_unload(void **state)
{
	check_create_against_unload("udplite6", SOCK_DGRAM, IPPROTO_UDPLITE);
	check_create_against_unload("mptcp", SOCK_STREAM, IPPROTO_MPTCP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_kernel),
		cmocka_unit_test(test_unprivileged),
		cmocka_unit_test(test_raw_kernel_socket),
		cmocka_unit_test(test_ping_group_range),
		cmocka_unit_test(test_pinfo_placement_and_defaults),
		cmocka_unit_test(test_ipv4_part_pmtudisc),
		cmocka_unit_test(test_raw_sockets),
		cmocka_unit_test(test_mptcp_disabled),
		cmocka_unit_test(test_protosw_rules),
		cmocka_unit_test(test_proto_caches),
		cmocka_unit_test(test_sk_alloc_failure),
		cmocka_unit_test(test_socketpair),
		cmocka_unit_test(test_create_against_module_unload),
	};
	int ret;

	ask_kernel_as_nobody();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
