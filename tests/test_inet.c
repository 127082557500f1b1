/* SPDX-License-Identifier: MIT */
/*
 * test_inet - AF_INET socket creation (inet_create, the protocol switch,
 * the TCP/UDP/PING/RAW protos and the UDP-Lite and MPTCP modules) through
 * the public API, with the real kernel beside us as an oracle where its
 * answer does not depend on the machine's configuration.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include "test_util.h"

#ifndef SOCK_DCCP
#define SOCK_DCCP 6
#endif

/* Act as an unprivileged user (no capabilities) with @gid, or as before. */
static void drop_privileges(gid_t gid, const gid_t *groups, int ngroups)
{
	struct cred c;

	sockcore_cred_get(&c);
	c.uid = c.euid = 65534;
	c.gid = c.egid = gid;
	c.ngroups = ngroups;
	if (ngroups)
		memcpy(c.groups, groups, (size_t)ngroups * sizeof(gid_t));
	c.cap_effective = 0;
	sockcore_cred_set(&c);
}

static void restore_privileges(void)
{
	assert_int_equal(sockcore_cred_refresh(), 0);
}

static long inuse(const struct proto *prot)
{
	return sock_prot_inuse_get(current_net(), prot);
}

struct cell {
	int family, type, protocol;
	int err;	/* expected errno, 0 for success */
};

/*
 * Run @cells through sys_socket() and expect each answer; the kernel's own
 * answer is compared too, and a difference is reported, not failed: the
 * machine may lack a protocol our table has (or run with other sysctls).
 */
static void check_cells(const struct cell *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		int got = sc_socket_errno(c->family, c->type, c->protocol);
		int real = kernel_socket_errno(c->family, c->type, c->protocol);

		if (got != c->err)
			fail_msg("socket(%d, %d, %d): got %s, want %s",
				 c->family, c->type, c->protocol,
				 strerror(got), strerror(c->err));
		if (real != c->err)
			print_message("note: this kernel says %s for "
				      "socket(%d, %d, %d)\n", strerror(real),
				      c->family, c->type, c->protocol);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* LTP socket01 and kselftest net/socket.c, AF_INET rows (as root). */
static void test_reference_tables(void **state)
{
	static const struct cell cells[] = {
		{ AF_INET, 75, 0, EINVAL },
		{ AF_INET, SOCK_RAW, 0, EPROTONOSUPPORT },
		{ AF_INET, SOCK_DGRAM, IPPROTO_UDP, 0 },
		{ AF_INET, SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT },
		{ AF_INET, SOCK_DGRAM, IPPROTO_TCP, EPROTONOSUPPORT },
		{ AF_INET, SOCK_STREAM, IPPROTO_TCP, 0 },
		{ AF_INET, SOCK_STREAM, IPPROTO_ICMP, EPROTONOSUPPORT },
		{ AF_INET, SOCK_STREAM, 0, 0 },
		{ AF_INET, SOCK_DGRAM, 0, 0 },
		{ AF_INET, SOCK_RAW, IPPROTO_ICMP, 0 },
		{ AF_INET, SOCK_RAW, IPPROTO_RAW, 0 },
		{ AF_INET, SOCK_RAW, 255, 0 },
		/* The limit is IPPROTO_MAX (263), not 256. */
		{ AF_INET, SOCK_RAW, 262, 0 },
		{ AF_INET, SOCK_DGRAM, IPPROTO_ICMPV6, EPROTONOSUPPORT },
	};

	check_cells(cells, N(cells));
}

static void test_protocol_range(void **state)
{
	static const struct cell cells[] = {
		{ AF_INET, SOCK_STREAM, -1, EINVAL },
		{ AF_INET, SOCK_DGRAM, 263, EINVAL },
		{ AF_INET, SOCK_RAW, 263, EINVAL },
		{ AF_INET, SOCK_RAW, -1, EINVAL },
		/* The protocol check comes before the type lookup. */
		{ AF_INET, SOCK_SEQPACKET, 300, EINVAL },
	};

	check_cells(cells, N(cells));
}

/* Types with an empty protocol switch list. */
static void test_type_not_supported(void **state)
{
	static const struct cell cells[] = {
		{ AF_INET, SOCK_SEQPACKET, 0, ESOCKTNOSUPPORT },
		{ AF_INET, SOCK_SEQPACKET, IPPROTO_TCP, ESOCKTNOSUPPORT },
		{ AF_INET, SOCK_RDM, 0, ESOCKTNOSUPPORT },
		{ AF_INET, SOCK_DCCP, 0, ESOCKTNOSUPPORT },
		{ AF_INET, 7, 0, ESOCKTNOSUPPORT },
		{ AF_INET, 9, IPPROTO_UDP, ESOCKTNOSUPPORT },
	};

	check_cells(cells, N(cells));
}

/* (INET, SOCK_PACKET) belongs to AF_PACKET: inet never sees it. */
static void test_sock_packet_is_not_inet(void **state)
{
	int err = sc_socket_errno(AF_INET, SOCK_PACKET, 0);

	assert_int_not_equal(err, ESOCKTNOSUPPORT);
	if (sock_is_registered(AF_PACKET))
		assert_int_equal(err, kernel_socket_errno(AF_INET, SOCK_PACKET, 0));
	else
		assert_int_equal(err, EAFNOSUPPORT);
}

/* Raw needs CAP_NET_RAW, checked after the lookup. */
static void test_raw_needs_cap_net_raw(void **state)
{
	long before = inuse(&raw_prot);

	drop_privileges(65534, NULL, 0);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_RAW, IPPROTO_ICMP), EPERM);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_RAW, IPPROTO_RAW), EPERM);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_RAW, 263), EINVAL);
	/* Other types need no capability. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, 0), 0);
	restore_privileges();

	assert_int_equal(inuse(&raw_prot), before);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_RAW, IPPROTO_ICMP), 0);
}

/* Kernel sockets skip the capability check. */
static void test_raw_kernel_socket_unprivileged(void **state)
{
	struct socket *sock = NULL;

	drop_privileges(65534, NULL, 0);
	assert_int_equal(sock_create_kern(&init_net, AF_INET, SOCK_RAW,
					  IPPROTO_UDP, &sock), 0);
	restore_privileges();
	assert_non_null(sock);
	assert_int_equal(sock->sk->sk_protocol, IPPROTO_UDP);
	sock_release(sock);
}

/* Ping sockets: only for groups in ping_group_range ("1 0" by default). */
static void test_ping_group_range(void **state)
{
	static const gid_t supp[] = { 4242 };
	struct net *net = net_create();
	long before;
	int fd;

	assert_non_null(net);
	assert_int_equal(net->sysctl.ping_group_range[0], 1);
	assert_int_equal(net->sysctl.ping_group_range[1], 0);
	sockcore_switch_net(net);

	/* Root included: nobody is in "1 0". */
	before = inuse(&ping_prot);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
			 EACCES);
	assert_int_equal(inuse(&ping_prot), before);

	net->sysctl.ping_group_range[0] = 0;
	net->sysctl.ping_group_range[1] = 0;
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	assert_true(fd >= 0);
	assert_int_equal(inuse(&ping_prot), before + 1);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), IPPROTO_ICMP);
	assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), SOCK_DGRAM);
	/* REUSE entry. */
	assert_int_equal(sc_getsockopt_int(fd, SO_REUSEADDR), 1);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(inuse(&ping_prot), before);

	/* A supplementary group in range is enough; no capability needed. */
	net->sysctl.ping_group_range[0] = 4242;
	net->sysctl.ping_group_range[1] = 4242;
	drop_privileges(1000, supp, 1);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), 0);
	drop_privileges(1000, NULL, 0);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
			 EACCES);
	restore_privileges();
	assert_int_equal(inuse(&ping_prot), before);

	sockcore_switch_net(NULL);
	put_net(net);
}

/* init_net's default agrees with the machine's (read from /proc). */
static void test_ping_default_matches_kernel(void **state)
{
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
			 kernel_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
}

static void test_raw_hdrincl_and_port(void **state)
{
	struct inet_sock *inet;
	int fd;

	fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	assert_true(fd >= 0);
	inet = inet_sk(fd_sock(fd));
	assert_int_equal(inet->hdrincl, 1);
	assert_int_equal(inet->inet_num, IPPROTO_RAW);
	assert_int_equal(inet->inet_sport, htons(IPPROTO_RAW));
	assert_int_equal(inet->sk.sk_reuse, SK_CAN_REUSE);
	assert_int_equal(sys_close(fd), 0);

	fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	assert_true(fd >= 0);
	inet = inet_sk(fd_sock(fd));
	assert_int_equal(inet->hdrincl, 0);
	assert_int_equal(inet->inet_num, IPPROTO_UDP);
	assert_int_equal(sys_close(fd), 0);
}

/* The fields inet_create() sets, on a TCP socket. */
static void test_inet_defaults(void **state)
{
	struct inet_sock *inet;
	struct sock *sk;
	int fd;

	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sk = fd_sock(fd);
	inet = inet_sk(sk);
	assert_ptr_equal(sk->sk_prot, &tcp_prot);
	assert_int_equal(sk->sk_family, AF_INET);
	assert_int_equal(sk->sk_protocol, IPPROTO_TCP);
	assert_int_equal(sk->sk_state, TCP_CLOSE);
	assert_int_equal(sk->sk_reuse, SK_NO_REUSE);
	assert_ptr_equal(sk->sk_destruct, inet_sock_destruct);
	assert_int_equal(inet->is_icsk, 1);
	assert_int_equal(inet->inet_num, 0);
	assert_int_equal(inet->uc_ttl, -1);
	assert_int_equal(inet->mc_loop, 1);
	assert_int_equal(inet->mc_ttl, 1);
	assert_int_equal(inet->mc_all, 1);
	assert_int_equal(inet->mc_index, 0);
	assert_null(inet->mc_list);
	assert_int_equal(inet->rcv_tos, 0);
	assert_int_equal(inet->nodefrag, 0);
	assert_int_equal(inet->inet_id, 0);
	assert_int_equal(inet_csk(sk)->icsk_rto, 1000);
	assert_ptr_equal(sk->sk_socket->ops, &inet_stream_ops);
	assert_int_equal(sys_close(fd), 0);

	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	sk = fd_sock(fd);
	assert_ptr_equal(sk->sk_prot, &udp_prot);
	assert_int_equal(inet_sk(sk)->is_icsk, 0);
	assert_ptr_equal(sk->sk_socket->ops, &inet_dgram_ops);
	assert_int_equal(sys_close(fd), 0);
}

static void test_pmtudisc_from_sysctl(void **state)
{
	struct net *net = net_create();
	int fd;

	assert_non_null(net);
	sockcore_switch_net(net);
	net->sysctl.ip_no_pmtu_disc = 0;
	fd = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(inet_sk(fd_sock(fd))->pmtudisc, IP_PMTUDISC_WANT);
	assert_int_equal(sys_close(fd), 0);

	net->sysctl.ip_no_pmtu_disc = 1;
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(inet_sk(fd_sock(fd))->pmtudisc, IP_PMTUDISC_DONT);
	assert_int_equal(sys_close(fd), 0);

	sockcore_switch_net(NULL);
	put_net(net);
}

/* SOL_SOCKET options of fresh sockets, against the real kernel's. */
static void test_getsockopt_against_kernel(void **state)
{
	static const struct cell socks[] = {
		{ AF_INET, SOCK_STREAM, 0, IPPROTO_TCP },
		{ AF_INET, SOCK_DGRAM, 0, IPPROTO_UDP },
		{ AF_INET, SOCK_RAW, IPPROTO_ICMP, IPPROTO_ICMP },
		{ AF_INET, SOCK_RAW, 255, 255 },
	};
	static const int opts[] = { SO_PROTOCOL, SO_TYPE, SO_DOMAIN,
				    SO_REUSEADDR, SO_SNDBUF, SO_RCVBUF };
	size_t i, j;

	for (i = 0; i < N(socks); i++) {
		const struct cell *c = &socks[i];
		int fd = sys_socket(c->family, c->type, c->protocol);
		int kfd = socket(c->family, c->type, c->protocol);

		assert_true(fd >= 0);
		assert_true(kfd >= 0);
		/* The resolved protocol, not the requested 0. */
		assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), c->err);
		assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), AF_INET);
		for (j = 0; j < N(opts); j++)
			assert_int_equal(sc_getsockopt_int(fd, opts[j]),
					 kernel_getsockopt_int(kfd, opts[j]));
		close(kfd);
		assert_int_equal(sys_close(fd), 0);
	}
}

struct raw_find {
	const struct sock *sk;
	int found;
	int total;
};

static int raw_find_fn(const struct sock *sk, void *arg)
{
	struct raw_find *f = arg;

	f->total++;
	if (sk == f->sk)
		f->found++;
	return 0;
}

static int raw_stop_fn(const struct sock *sk, void *arg)
{
	(*(int *)arg)++;
	return 7;
}

static void test_raw_table(void **state)
{
	struct raw_find f = { 0 };
	long before = inuse(&raw_prot);
	int fd, fd2, calls = 0;

	fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	assert_true(fd >= 0);
	fd2 = sys_socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
	assert_true(fd2 >= 0);
	assert_int_equal(inuse(&raw_prot), before + 2);

	f.sk = fd_sock(fd);
	assert_int_equal(raw_for_each(current_net(), raw_find_fn, &f), 0);
	assert_int_equal(f.found, 1);
	assert_true(f.total >= 2);

	/* A nonzero return stops the walk and comes back. */
	assert_int_equal(raw_for_each(current_net(), raw_stop_fn, &calls), 7);
	assert_int_equal(calls, 1);

	assert_int_equal(sys_close(fd), 0);
	f.found = 0;
	f.total = 0;
	assert_int_equal(raw_for_each(current_net(), raw_find_fn, &f), 0);
	assert_int_equal(f.found, 0);
	assert_int_equal(inuse(&raw_prot), before + 1);
	assert_int_equal(sys_close(fd2), 0);
	assert_int_equal(inuse(&raw_prot), before);
}

/* Another namespace has a table of its own. */
static void test_raw_table_per_namespace(void **state)
{
	struct net *net = net_create();
	struct raw_find f = { 0 };
	int fd;

	assert_non_null(net);
	sockcore_switch_net(net);
	fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	assert_true(fd >= 0);
	sockcore_switch_net(NULL);

	f.sk = fd_sock(fd);
	assert_int_equal(raw_for_each(&init_net, raw_find_fn, &f), 0);
	assert_int_equal(f.found, 0);
	assert_int_equal(raw_for_each(net, raw_find_fn, &f), 0);
	assert_int_equal(f.found, 1);
	assert_int_equal(f.total, 1);
	assert_int_equal(sock_prot_inuse_get(net, &raw_prot), 1);

	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sock_prot_inuse_get(net, &raw_prot), 0);
	put_net(net);
}

/* Every created socket counts as in use until its close, and failures
 * leave the counters as they were. */
static void test_inuse_counters(void **state)
{
	struct proto *const protos[] = { &tcp_prot, &udp_prot, &raw_prot };
	static const struct cell socks[] = {
		{ AF_INET, SOCK_STREAM, 0, 0 },
		{ AF_INET, SOCK_DGRAM, 0, 0 },
		{ AF_INET, SOCK_RAW, 1, 0 },
	};
	long all = sock_inuse_get(current_net());
	size_t i;

	for (i = 0; i < N(socks); i++) {
		long before = inuse(protos[i]);
		int fd = sys_socket(socks[i].family, socks[i].type,
				    socks[i].protocol);

		assert_true(fd >= 0);
		assert_int_equal(inuse(protos[i]), before + 1);
		assert_int_equal(sys_close(fd), 0);
		assert_int_equal(inuse(protos[i]), before);
	}
	assert_int_equal(sock_inuse_get(current_net()), all);

	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_TCP),
			 EPROTONOSUPPORT);
	assert_int_equal(sock_inuse_get(current_net()), all);
}

struct sw_walk {
	const struct inet_protosw *entries[16];
	int n;
	int type;
};

static int sw_walk_fn(const struct inet_protosw *p, void *arg)
{
	struct sw_walk *w = arg;

	if (p->type == w->type && w->n < 16)
		w->entries[w->n++] = p;
	return 0;
}

static void sw_walk(struct sw_walk *w, int type)
{
	memset(w, 0, sizeof(*w));
	w->type = type;
	assert_int_equal(inet_protosw_for_each(sw_walk_fn, w), 0);
}

/* The built-in switch, in the kernel's order. */
static void test_protosw_builtin(void **state)
{
	struct sw_walk w;

	sw_walk(&w, SOCK_STREAM);
	assert_true(w.n >= 1);
	assert_int_equal(w.entries[0]->protocol, IPPROTO_TCP);
	assert_ptr_equal(w.entries[0]->prot, &tcp_prot);
	assert_int_equal(w.entries[0]->flags,
			 INET_PROTOSW_PERMANENT | INET_PROTOSW_ICSK);

	sw_walk(&w, SOCK_DGRAM);
	assert_true(w.n >= 2);
	assert_int_equal(w.entries[0]->protocol, IPPROTO_UDP);
	assert_int_equal(w.entries[0]->flags, INET_PROTOSW_PERMANENT);
	assert_int_equal(w.entries[w.n - 1]->protocol, IPPROTO_ICMP);
	assert_ptr_equal(w.entries[w.n - 1]->prot, &ping_prot);
	assert_ptr_equal(w.entries[w.n - 1]->ops, &inet_sockraw_ops);

	sw_walk(&w, SOCK_RAW);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.entries[0]->protocol, IPPROTO_IP);
	assert_int_equal(w.entries[0]->flags, INET_PROTOSW_REUSE);

	sw_walk(&w, SOCK_SEQPACKET);
	assert_int_equal(w.n, 0);
}

static void test_protosw_register_rules(void **state)
{
	struct inet_protosw over_tcp = {
		.type = SOCK_STREAM, .protocol = IPPROTO_TCP,
		.prot = &udp_prot, .ops = &inet_stream_ops,
	};
	struct inet_protosw bad_type = {
		.type = SOCK_MAX, .protocol = 200,
		.prot = &udp_prot, .ops = &inet_dgram_ops,
	};
	struct inet_protosw *tcp_entry;
	struct sw_walk w;

	assert_int_equal(inet_register_protosw(&over_tcp), -EPERM);
	assert_int_equal(inet_register_protosw(&bad_type), -EINVAL);

	sw_walk(&w, SOCK_STREAM);
	assert_int_equal(w.entries[0]->protocol, IPPROTO_TCP);
	tcp_entry = (struct inet_protosw *)w.entries[0];
	assert_int_equal(inet_unregister_protosw(tcp_entry), -EPERM);
	/* Still there and still answering. */
	sw_walk(&w, SOCK_STREAM);
	assert_ptr_equal(w.entries[0], tcp_entry);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, IPPROTO_TCP), 0);
}

/* A new entry goes after the last PERMANENT one, answers, and leaves. */
static void test_protosw_register_and_use(void **state)
{
	struct inet_protosw mine = {
		.type = SOCK_DGRAM, .protocol = 200,
		.prot = &udp_prot, .ops = &inet_dgram_ops,
		.flags = INET_PROTOSW_REUSE,
	};
	struct sw_walk w;
	int fd;

	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, 200),
			 EPROTONOSUPPORT);
	assert_int_equal(inet_register_protosw(&mine), 0);

	sw_walk(&w, SOCK_DGRAM);
	assert_true(w.n >= 3);
	assert_int_equal(w.entries[0]->protocol, IPPROTO_UDP);
	assert_ptr_equal(w.entries[1], &mine);

	fd = sys_socket(AF_INET, SOCK_DGRAM, 200);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), 200);
	assert_int_equal(sc_getsockopt_int(fd, SO_REUSEADDR), 1);
	assert_ptr_equal(fd_sock(fd)->sk_prot, &udp_prot);
	/* The default for the type is still the first entry, UDP. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, 0), 0);
	assert_int_equal(sys_close(fd), 0);

	assert_int_equal(inet_unregister_protosw(&mine), 0);
	sw_walk(&w, SOCK_DGRAM);
	assert_ptr_not_equal(w.entries[1], &mine);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, 200),
			 EPROTONOSUPPORT);
}

/* A wildcard entry answers any protocol of its type. */
static void test_protosw_wildcard(void **state)
{
	struct inet_protosw wild = {
		.type = SOCK_RDM, .protocol = IPPROTO_IP,
		.prot = &udp_prot, .ops = &inet_dgram_ops,
	};
	int fd;

	assert_int_equal(inet_register_protosw(&wild), 0);
	fd = sys_socket(AF_INET, SOCK_RDM, 99);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), 99);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(inet_unregister_protosw(&wild), 0);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_RDM, 99),
			 ESOCKTNOSUPPORT);
}

static int module_loaded_fn(const struct sockcore_module_info *info, void *arg)
{
	return strcmp(info->name, arg) == 0;
}

static bool module_loaded(const char *name)
{
	return sockcore_module_for_each(module_loaded_fn, (void *)name) != 0;
}

/* UDP-Lite comes from a module, loaded by the first socket. */
static void test_udplite_module(void **state)
{
	struct sw_walk w;
	int fd, fd2;

	sockcore_module_unload("udplite");
	assert_false(module_loaded("udplite"));

	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	assert_true(module_loaded("udplite"));
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), IPPROTO_UDPLITE);
	assert_string_equal(fd_sock(fd)->sk_prot->name, "UDP-Lite");
	assert_int_equal(udp_sk(fd_sock(fd))->pcflag, UDPLITE_BIT);
	assert_int_equal(sock_prot_inuse_get(current_net(),
					     fd_sock(fd)->sk_prot), 1);

	/* After the permanent UDP entry, before ping. */
	sw_walk(&w, SOCK_DGRAM);
	assert_int_equal(w.entries[0]->protocol, IPPROTO_UDP);
	assert_int_equal(w.entries[1]->protocol, IPPROTO_UDPLITE);

	/* Plain UDP is still UDP. */
	fd2 = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd2 >= 0);
	assert_int_equal(sc_getsockopt_int(fd2, SO_PROTOCOL), IPPROTO_UDP);
	assert_int_equal(sys_close(fd2), 0);

	assert_int_equal(sockcore_module_unload("udplite"), -EBUSY);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
	assert_false(module_loaded("udplite"));
	assert_int_equal(sockcore_module_unload("udplite"), -ENOENT);

	/* With autoloading off, the protocol is simply unknown. */
	sockcore_module_autoload(false);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE),
			 EPROTONOSUPPORT);
	sockcore_module_autoload(true);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE),
			 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
}

/* UDP-Lite is a datagram protocol only: a stream request is refused. */
static void test_udplite_wrong_type(void **state)
{
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, IPPROTO_UDPLITE),
			 EPROTONOSUPPORT);
	assert_int_equal(kernel_socket_errno(AF_INET, SOCK_STREAM,
					     IPPROTO_UDPLITE), EPROTONOSUPPORT);
}

static void test_mptcp_module(void **state)
{
	struct net *net;
	int fd;

	fd = sys_socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
	assert_true(fd >= 0);
	assert_true(module_loaded("mptcp"));
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), IPPROTO_MPTCP);
	assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), SOCK_STREAM);
	assert_string_equal(fd_sock(fd)->sk_prot->name, "MPTCP");
	assert_int_equal(inet_sk(fd_sock(fd))->is_icsk, 1);
	assert_int_equal(sockcore_module_unload("mptcp"), -EBUSY);
	assert_int_equal(sys_close(fd), 0);

	/* A namespace with net.mptcp.enabled = 0. */
	net = net_create();
	assert_non_null(net);
	net->sysctl.mptcp_enabled = 0;
	sockcore_switch_net(net);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, IPPROTO_MPTCP),
			 ENOPROTOOPT);
	assert_int_equal(sock_inuse_get(net), 0);
	/* TCP is unaffected. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, IPPROTO_TCP), 0);
	sockcore_switch_net(NULL);
	put_net(net);

	/* MPTCP is stream only. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_MPTCP),
			 EPROTONOSUPPORT);
	assert_int_equal(sockcore_module_unload("mptcp"), 0);
}

static void test_release_without_descriptor(void **state)
{
	struct socket *sock = NULL;
	long before = inuse(&tcp_prot);

	assert_int_equal(sock_create(AF_INET, SOCK_STREAM, 0, &sock), 0);
	assert_non_null(sock);
	assert_int_equal(sock->state, SS_UNCONNECTED);
	assert_int_equal(inuse(&tcp_prot), before + 1);
	sock_release(sock);
	assert_int_equal(inuse(&tcp_prot), before);
}

static unsigned long slab_active(const char *name)
{
	struct kmem_cache_stats st;
	struct kmem_cache *s = kmem_cache_find(name);

	assert_non_null(s);
	assert_int_equal(kmem_cache_get_stats(s, &st), 0);
	return st.active_objs;
}

/* Caches named after the protos, with the kernel's object sizes; the
 * type-stable ones are those whose socks lockless lookups may find
 * (RAW: docs/kernel-mapping.md, difference 19). */
static void test_proto_caches(void **state)
{
	static const struct {
		const char *name;
		unsigned int size;
		bool typesafe;
	} caches[] = {
		{ "TCP", 2304, true }, { "UDP", 1344, true },
		{ "PING", 1016, false }, { "RAW", 1152, true },
	};
	struct kmem_cache_stats st;
	size_t i;

	for (i = 0; i < N(caches); i++) {
		struct kmem_cache *s = kmem_cache_find(caches[i].name);

		assert_non_null(s);
		assert_int_equal(kmem_cache_size(s), caches[i].size);
		assert_int_equal(kmem_cache_get_stats(s, &st), 0);
		assert_int_equal((st.flags & SLAB_TYPESAFE_BY_RCU) != 0,
				 caches[i].typesafe);
	}
	assert_int_equal(tcp_prot.obj_size, 2304);
	assert_int_equal(raw_prot.obj_size, 1152);
}

/* Each socket takes one object of its proto's cache; close returns it. */
static void test_slab_objects_back(void **state)
{
	unsigned long tcp = slab_active("TCP"), udp = slab_active("UDP");
	int fd1, fd2;

	fd1 = sys_socket(AF_INET, SOCK_STREAM, 0);
	fd2 = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd1 >= 0);
	assert_true(fd2 >= 0);
	assert_int_equal(slab_active("TCP"), tcp + 1);
	assert_int_equal(slab_active("UDP"), udp + 1);
	assert_int_equal(sys_close(fd1), 0);
	assert_int_equal(sys_close(fd2), 0);
	assert_int_equal(slab_active("TCP"), tcp);
	assert_int_equal(slab_active("UDP"), udp);

	/* A failed creation (EACCES from ping's init) frees its object. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
			 kernel_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
	assert_int_equal(slab_active("PING"), 0);
}

/*
 * A SOCK_RCU_FREE sock goes back to its cache only after a grace period:
 * not while a reader is inside rcu_read_lock(), at once after the barrier.
 */
static void test_sock_rcu_free(void **state)
{
	unsigned long tcp = slab_active("TCP");
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sock_set_flag(fd_sock(fd), SOCK_RCU_FREE);
	urcu_bp_read_lock();
	assert_int_equal(sys_close(fd), 0);
	usleep(30000);		/* > liburcu's 10 ms callback batching */
	assert_int_equal(slab_active("TCP"), tcp + 1);
	urcu_bp_read_unlock();
	urcu_bp_barrier();
	assert_int_equal(slab_active("TCP"), tcp);
}

/* sk_alloc() failing is ENOMEM for IPv4, with nothing left behind. */
static void test_sk_alloc_failure(void **state)
{
	struct failslab_attr fa = {
		.probability = 100, .interval = 1, .times = 1,
	};
	struct sc_counters before = sc_counters_now();
	long tcp = inuse(&tcp_prot);

	strcpy(fa.cache_filter, "TCP");
	assert_int_equal(failslab_set(&fa), 0);
	assert_int_equal(sys_socket(AF_INET, SOCK_STREAM, 0), -ENOMEM);
	assert_int_equal(failslab_injected(), 1);
	/* Only the TCP cache was filtered: UDP is fine meanwhile. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, 0), 0);
	assert_int_equal(failslab_set(NULL), 0);

	assert_int_equal(inuse(&tcp_prot), tcp);
	assert_counters_equal(sc_counters_now(), before);
	/* And the next one works. */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, 0), 0);
}

/*
 * Every failure of inet_create leaves nothing behind: descriptors, files,
 * sockets in use, socket objects. Each cell fails at a different step.
 */
static void test_failures_leave_nothing(void **state)
{
	static const struct cell cells[] = {
		{ AF_INET, SOCK_STREAM, -1, EINVAL },		/* range */
		{ AF_INET, SOCK_SEQPACKET, 0, ESOCKTNOSUPPORT },	/* lookup */
		{ AF_INET, SOCK_DGRAM, IPPROTO_TCP, EPROTONOSUPPORT },
		{ AF_INET, SOCK_RAW, 0, EPROTONOSUPPORT },
		{ AF_INET, SOCK_RAW, IPPROTO_ICMP, EPERM },	/* capability */
	};
	struct sc_counters before = sc_counters_now();
	struct net *net;
	size_t i;

	sc_cred_unprivileged();
	for (i = 0; i < N(cells); i++)
		assert_int_equal(sc_socket_errno(cells[i].family, cells[i].type,
						 cells[i].protocol), cells[i].err);
	restore_privileges();
	assert_counters_equal(sc_counters_now(), before);

	/* Failures in the protos' init, after sk_alloc and hashing. */
	net = net_create();
	assert_non_null(net);
	net->sysctl.mptcp_enabled = 0;
	sockcore_switch_net(net);
	before = sc_counters_now();
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
			 EACCES);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_STREAM, IPPROTO_MPTCP),
			 ENOPROTOOPT);
	assert_counters_equal(sc_counters_now(), before);
	sockcore_switch_net(NULL);
	put_net(net);
	assert_int_equal(sockcore_module_unload("mptcp"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_tables),
		cmocka_unit_test(test_protocol_range),
		cmocka_unit_test(test_type_not_supported),
		cmocka_unit_test(test_sock_packet_is_not_inet),
		cmocka_unit_test(test_raw_needs_cap_net_raw),
		cmocka_unit_test(test_raw_kernel_socket_unprivileged),
		cmocka_unit_test(test_ping_group_range),
		cmocka_unit_test(test_ping_default_matches_kernel),
		cmocka_unit_test(test_raw_hdrincl_and_port),
		cmocka_unit_test(test_inet_defaults),
		cmocka_unit_test(test_pmtudisc_from_sysctl),
		cmocka_unit_test(test_getsockopt_against_kernel),
		cmocka_unit_test(test_raw_table),
		cmocka_unit_test(test_raw_table_per_namespace),
		cmocka_unit_test(test_inuse_counters),
		cmocka_unit_test(test_protosw_builtin),
		cmocka_unit_test(test_protosw_register_rules),
		cmocka_unit_test(test_protosw_register_and_use),
		cmocka_unit_test(test_protosw_wildcard),
		cmocka_unit_test(test_udplite_module),
		cmocka_unit_test(test_udplite_wrong_type),
		cmocka_unit_test(test_mptcp_module),
		cmocka_unit_test(test_release_without_descriptor),
		cmocka_unit_test(test_proto_caches),
		cmocka_unit_test(test_slab_objects_back),
		cmocka_unit_test(test_sock_rcu_free),
		cmocka_unit_test(test_sk_alloc_failure),
		cmocka_unit_test(test_failures_leave_nothing),
	};
	int ret;

	ret = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return ret;
}
