/* SPDX-License-Identifier: MIT */
/*
 * test_conformance - differential test: the machine's real socket(2) and
 * socketpair(2) beside sys_socket() and sys_socketpair(), cell by cell over
 * a grid of families x types x flag variants x protocols, in three modes:
 *
 *   root          this process as it is (uid 0, full capabilities);
 *   no CAP_NET_RAW a forked child that dropped CAP_NET_RAW from its
 *                 effective set (capset) and re-read its credentials into
 *                 the library (sockcore_cred_refresh);
 *   nobody        a forked child that became uid/gid 65534 with no
 *                 supplementary groups, then sockcore_cred_refresh.
 *
 * A cell agrees when both fail with the same errno, or both succeed with
 * the same SO_DOMAIN, SO_TYPE, SO_PROTOCOL, FD_CLOEXEC and O_NONBLOCK.
 * Cells whose kernel answer depends on how the running kernel was built
 * are listed in build_dependent[] below, each with its reason; they are
 * counted and reported, never silently merged into the agreement count.
 * Any other difference fails the test and is printed.
 *
 * The children run first, before this process has used the library, so
 * each starts the library fresh rather than inheriting it across fork().
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ANY INT_MIN	/* wildcard in build_dependent[] */

static const int families[] = {
	AF_UNIX, AF_INET, AF_INET6, AF_PACKET, AF_NETLINK, 0, 45, 46, -1, 1000,
};
static const int types[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -1,
};
static const int flag_variants[] = {
	0, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_CLOEXEC | SOCK_NONBLOCK,
	0x40000000, 0x100,
};
static const int protocols[] = {
	0, 1, 2, 6, 17, 31, 32, 58, 132, 136, 255, 256, 262, 263, 768,
	65535, 65536, -1,
};

/*
 * Cells where the kernel's answer depends on its build configuration or
 * on the machine, not on the socket-creation path the library reproduces.
 * A cell matching an entry whose two answers differ is counted as
 * build-dependent and skipped; an entry whose cells agree costs nothing.
 * Checked against Linux 6.18 (see /work/shared/kernel-semantics.md).
 */
struct build_dep {
	int family, type, protocol;	/* ANY matches every value */
	const char *reason;
};

static const struct build_dep build_dependent[] = {
	{ AF_INET, SOCK_STREAM, IPPROTO_SCTP,
	  "SCTP (CONFIG_IP_SCTP): the library has no SCTP module" },
	{ AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP,
	  "SCTP (CONFIG_IP_SCTP): the library has no SCTP module" },
	{ AF_INET6, SOCK_STREAM, IPPROTO_SCTP,
	  "SCTP (CONFIG_IP_SCTP): the library has no SCTP module" },
	{ AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP,
	  "SCTP (CONFIG_IP_SCTP): the library has no SCTP module" },
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE,
	  "UDP-Lite (CONFIG_UDPLITE-era kernels; being removed upstream)" },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE,
	  "UDP-Lite over IPv6 (as above)" },
	{ AF_INET, SOCK_STREAM, 262,
	  "MPTCP (CONFIG_MPTCP); the library always has its module" },
	{ AF_INET6, SOCK_STREAM, 262,
	  "MPTCP over IPv6 (CONFIG_MPTCP_IPV6)" },
	{ AF_INET, 6, ANY,
	  "SOCK_DCCP (CONFIG_IP_DCCP, removed in Linux 6.16)" },
	{ AF_INET6, 6, ANY,
	  "SOCK_DCCP over IPv6 (CONFIG_IP_DCCP, removed in Linux 6.16)" },
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP,
	  "ping sockets: the machine's net.ipv4.ping_group_range (the "
	  "library's namespaces start from the kernel default \"1 0\")" },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6,
	  "ping sockets over IPv6: net.ipv4.ping_group_range, as above" },
	{ AF_NETLINK, ANY, ANY,
	  "netlink protocols registered depend on the configuration "
	  "(NETLINK_SCSITRANSPORT, NETLINK_RDMA, NETLINK_CRYPTO, ...)" },
	{ 45, ANY, ANY,
	  "AF_MCTP (CONFIG_MCTP): the library has no MCTP family" },
};

/* ---- one cell ----------------------------------------------------------- */

struct outcome {
	int err;		/* 0: created */
	int domain, type, protocol, cloexec, nonblock;
};

static void kernel_cell(int family, int type, int protocol, struct outcome *o)
{
	socklen_t len = sizeof(int);
	int fd = socket(family, type, protocol);

	memset(o, 0, sizeof(*o));
	if (fd < 0) {
		o->err = errno;
		return;
	}
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &o->domain, &len);
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &o->type, &len);
	getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &o->protocol, &len);
	o->cloexec = (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
	o->nonblock = (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0;
	close(fd);
}

static int lib_opt(int fd, int optname)
{
	socklen_t len = sizeof(int);
	int v = -1;

	if (sys_getsockopt(fd, SOL_SOCKET, optname, &v, &len) < 0)
		return INT_MIN;
	return v;
}

static void lib_cell(int family, int type, int protocol, struct outcome *o)
{
	int fd = sys_socket(family, type, protocol);

	memset(o, 0, sizeof(*o));
	if (fd < 0) {
		o->err = -fd;
		return;
	}
	o->domain = lib_opt(fd, SO_DOMAIN);
	o->type = lib_opt(fd, SO_TYPE);
	o->protocol = lib_opt(fd, SO_PROTOCOL);
	o->cloexec = (sys_fcntl(fd, F_GETFD, 0) & FD_CLOEXEC) != 0;
	o->nonblock = (sys_fcntl(fd, F_GETFL, 0) & O_NONBLOCK) != 0;
	sys_close(fd);
}

static bool outcome_equal(const struct outcome *a, const struct outcome *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void outcome_str(const struct outcome *o, char *buf, size_t size)
{
	if (o->err)
		snprintf(buf, size, "%s", strerrorname_np(o->err) ?
			 strerrorname_np(o->err) : "?");
	else
		snprintf(buf, size, "ok(domain %d type %d proto %d%s%s)",
			 o->domain, o->type, o->protocol,
			 o->cloexec ? " cloexec" : "",
			 o->nonblock ? " nonblock" : "");
}

static const struct build_dep *build_dep_find(int family, int type,
		int protocol)
{
	for (size_t i = 0; i < ARRAY_SIZE(build_dependent); i++) {
		const struct build_dep *b = &build_dependent[i];

		if (!b->reason)
			continue;
		if ((b->family == ANY || b->family == family) &&
		    (b->type == ANY || b->type == type) &&
		    (b->protocol == ANY || b->protocol == protocol))
			return b;
	}
	return NULL;
}

/* ---- the socket grid ---------------------------------------------------------- */

struct tally {
	unsigned long agree, created, build_dep, differ;
	unsigned long dep_hits[ARRAY_SIZE(build_dependent)];
};

#define MAX_PRINTED 60

static void report_diff(const char *mode, const char *call, int family,
		int type, int protocol, const struct outcome *k,
		const struct outcome *l, unsigned long n)
{
	char kb[96], lb[96];

	if (n > MAX_PRINTED)
		return;
	outcome_str(k, kb, sizeof(kb));
	outcome_str(l, lb, sizeof(lb));
	printf("conformance[%s]: %s(%d, %#x, %d) differs: kernel %s, library %s\n",
	       mode, call, family, (unsigned int)type, protocol, kb, lb);
}

static void run_socket_grid(const char *mode, struct tally *t)
{
	for (size_t f = 0; f < ARRAY_SIZE(families); f++)
	for (size_t ty = 0; ty < ARRAY_SIZE(types); ty++)
	for (size_t fl = 0; fl < ARRAY_SIZE(flag_variants); fl++)
	for (size_t p = 0; p < ARRAY_SIZE(protocols); p++) {
		int family = families[f], protocol = protocols[p];
		int type = types[ty] | flag_variants[fl];
		const struct build_dep *b;
		struct outcome k, l;

		kernel_cell(family, type, protocol, &k);
		lib_cell(family, type, protocol, &l);
		if (outcome_equal(&k, &l)) {
			t->agree++;
			t->created += k.err == 0;
			continue;
		}
		b = build_dep_find(family, types[ty], protocol);
		if (b && (k.err == 0) != (l.err == 0)) {
			t->build_dep++;
			t->dep_hits[b - build_dependent]++;
			continue;
		}
		t->differ++;
		report_diff(mode, "socket", family, type, protocol, &k, &l,
			    t->differ);
	}
}

/* ---- the socketpair grid ---------------------------------------------------- */

static void kernel_pair(int family, int type, int protocol, bool null_array,
		struct outcome *o)
{
	socklen_t len = sizeof(int);
	int sv[2], d1 = 0;

	memset(o, 0, sizeof(*o));
	if (socketpair(family, type, protocol, null_array ? NULL : sv) < 0) {
		o->err = errno;
		return;
	}
	getsockopt(sv[0], SOL_SOCKET, SO_DOMAIN, &o->domain, &len);
	getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &o->type, &len);
	getsockopt(sv[0], SOL_SOCKET, SO_PROTOCOL, &o->protocol, &len);
	getsockopt(sv[1], SOL_SOCKET, SO_DOMAIN, &d1, &len);
	if (o->domain != d1)
		o->domain = -2;	/* the two ends differ: never agrees */
	o->cloexec = (fcntl(sv[0], F_GETFD) & FD_CLOEXEC) +
		     (fcntl(sv[1], F_GETFD) & FD_CLOEXEC);
	o->nonblock = ((fcntl(sv[0], F_GETFL) & O_NONBLOCK) != 0) +
		      ((fcntl(sv[1], F_GETFL) & O_NONBLOCK) != 0);
	close(sv[0]);
	close(sv[1]);
}

static void lib_pair(int family, int type, int protocol, bool null_array,
		struct outcome *o)
{
	int sv[2] = { -1, -1 };
	int err = sys_socketpair(family, type, protocol, null_array ? NULL : sv);

	memset(o, 0, sizeof(*o));
	if (err < 0) {
		o->err = -err;
		return;
	}
	o->domain = lib_opt(sv[0], SO_DOMAIN);
	o->type = lib_opt(sv[0], SO_TYPE);
	o->protocol = lib_opt(sv[0], SO_PROTOCOL);
	if (lib_opt(sv[1], SO_DOMAIN) != o->domain)
		o->domain = -2;
	o->cloexec = (sys_fcntl(sv[0], F_GETFD, 0) & FD_CLOEXEC) +
		     (sys_fcntl(sv[1], F_GETFD, 0) & FD_CLOEXEC);
	o->nonblock = ((sys_fcntl(sv[0], F_GETFL, 0) & O_NONBLOCK) != 0) +
		      ((sys_fcntl(sv[1], F_GETFL, 0) & O_NONBLOCK) != 0);
	sys_close(sv[0]);
	sys_close(sv[1]);
}

static const int pair_families[] = {
	AF_UNIX, AF_INET, AF_INET6, AF_PACKET, AF_NETLINK,
};
static const int pair_protocols[] = { 0, 1, 6, 17 };
static const int pair_flags[] = {
	0, SOCK_CLOEXEC | SOCK_NONBLOCK, 0x40000000,
};

static void run_pair_grid(const char *mode, struct tally *t)
{
	for (size_t f = 0; f < ARRAY_SIZE(pair_families); f++)
	for (size_t ty = 0; ty < ARRAY_SIZE(types); ty++)
	for (size_t fl = 0; fl < ARRAY_SIZE(pair_flags); fl++)
	for (size_t p = 0; p < ARRAY_SIZE(pair_protocols); p++)
	for (int null_array = 0; null_array < 2; null_array++) {
		int family = pair_families[f], protocol = pair_protocols[p];
		int type = types[ty] | pair_flags[fl];
		struct outcome k, l;

		kernel_pair(family, type, protocol, null_array, &k);
		lib_pair(family, type, protocol, null_array, &l);
		if (outcome_equal(&k, &l)) {
			t->agree++;
			t->created += k.err == 0;
			continue;
		}
		t->differ++;
		report_diff(mode, null_array ? "socketpair[NULL]" : "socketpair",
			    family, type, protocol, &k, &l, t->differ);
	}
}

/*
 * LTP socketpair01's table. Its "bad unaligned pointer" case ((int *)7)
 * is left out: the library cannot tell a wild pointer from a good one
 * (it has no copy_to_user), only NULL.
 */
struct ltp_case {
	int family, type, protocol;
	bool null_array;
	int err;
	const char *desc;
};

static const struct ltp_case ltp_socketpair01[] = {
	{ 0, SOCK_STREAM, 0, false, EAFNOSUPPORT, "invalid domain" },
	{ PF_INET, 75, 0, false, EINVAL, "invalid type" },
	{ PF_UNIX, SOCK_DGRAM, 0, false, 0, "UNIX domain dgram" },
	{ PF_INET, SOCK_RAW, 0, false, EPROTONOSUPPORT, "raw open as non-root" },
	{ PF_UNIX, SOCK_STREAM, 0, true, EFAULT, "bad aligned pointer" },
	{ PF_INET, SOCK_DGRAM, 17, false, EOPNOTSUPP, "UDP socket" },
	{ PF_INET, SOCK_DGRAM, 6, false, EPROTONOSUPPORT, "TCP dgram" },
	{ PF_INET, SOCK_STREAM, 6, false, EOPNOTSUPP, "TCP socket" },
	{ PF_INET, SOCK_STREAM, 1, false, EPROTONOSUPPORT, "ICMP stream" },
};

static unsigned long run_ltp_socketpair01(const char *mode)
{
	unsigned long bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ltp_socketpair01); i++) {
		const struct ltp_case *c = &ltp_socketpair01[i];
		struct outcome k, l;

		kernel_pair(c->family, c->type, c->protocol, c->null_array, &k);
		lib_pair(c->family, c->type, c->protocol, c->null_array, &l);
		if (l.err != c->err || !outcome_equal(&k, &l)) {
			char kb[96], lb[96];

			outcome_str(&k, kb, sizeof(kb));
			outcome_str(&l, lb, sizeof(lb));
			printf("conformance[%s]: socketpair01 \"%s\": want %s, "
			       "kernel %s, library %s\n", mode, c->desc,
			       c->err ? strerrorname_np(c->err) : "ok", kb, lb);
			bad++;
		}
	}
	return bad;
}

/* ---- one mode --------------------------------------------------------------- */

/* Runs the grids in the calling process; returns the number of cells
 * that differ (0: the mode passes). No cmocka assertions: may run in a
 * forked child. */
static unsigned long run_mode(const char *mode)
{
	struct tally t = { 0 }, pt = { 0 };
	unsigned long ltp;

	run_socket_grid(mode, &t);
	printf("conformance[%s]: %lu cells agree, %lu build-dependent skipped, "
	       "%lu differ (%lu of the agreeing cells created a socket)\n",
	       mode, t.agree, t.build_dep, t.differ, t.created);
	for (size_t i = 0; i < ARRAY_SIZE(build_dependent); i++)
		if (t.dep_hits[i])
			printf("conformance[%s]:   build-dependent (%d, %d, %d): "
			       "%lu cells: %s\n", mode, build_dependent[i].family,
			       build_dependent[i].type,
			       build_dependent[i].protocol, t.dep_hits[i],
			       build_dependent[i].reason);
	run_pair_grid(mode, &pt);
	printf("conformance[%s]: socketpair: %lu cells agree, %lu differ "
	       "(%lu created a pair)\n", mode, pt.agree, pt.differ, pt.created);
	ltp = run_ltp_socketpair01(mode);
	printf("conformance[%s]: LTP socketpair01: %zu cases, %lu wrong\n", mode,
	       ARRAY_SIZE(ltp_socketpair01), ltp);
	fflush(stdout);
	/* a grid where nothing was created compared nothing useful */
	if (!t.created || !pt.created) {
		printf("conformance[%s]: no socket created\n", mode);
		return 1;
	}
	return t.differ + pt.differ + ltp;
}

static int child_no_net_raw(void *arg)
{
	int err;

	(void)arg;
	err = sc_real_drop_cap(CAP_NET_RAW);
	if (err) {
		printf("capset: %s\n", strerror(-err));
		return 2;
	}
	if (sockcore_cred_refresh() || capable(CAP_NET_RAW)) {
		printf("the library still sees CAP_NET_RAW\n");
		return 2;
	}
	if (kernel_socket_errno(AF_INET, SOCK_RAW, IPPROTO_ICMP) != EPERM) {
		printf("the kernel still grants raw sockets\n");
		return 2;
	}
	return run_mode("no CAP_NET_RAW") ? 1 : 0;
}

static int child_nobody(void *arg)
{
	(void)arg;
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		printf("dropping to 65534: %s\n", strerror(errno));
		return 2;
	}
	if (sockcore_cred_refresh() || capable(CAP_NET_RAW) ||
	    capable(CAP_SYS_ADMIN)) {
		printf("the library still sees root's capabilities\n");
		return 2;
	}
	if (kernel_socket_errno(AF_PACKET, SOCK_RAW, 0) != EPERM) {
		printf("the kernel still grants packet sockets\n");
		return 2;
	}
	return run_mode("nobody") ? 1 : 0;
}

static void test_conformance_no_net_raw(void **state)
{
	(void)state;
	if (!((sc_real_caps() >> CAP_NET_RAW) & 1))
		skip();	/* already without it: the root mode covers it */
	assert_int_equal(sc_run_child(child_no_net_raw, NULL), 0);
}

static void test_conformance_nobody(void **state)
{
	(void)state;
	if (geteuid() != 0 || !((sc_real_caps() >> CAP_SETUID) & 1))
		skip();	/* cannot change user */
	assert_int_equal(sc_run_child(child_nobody, NULL), 0);
}

static void test_conformance_root(void **state)
{
	(void)state;
	assert_int_equal(sockcore_cred_refresh(), 0);
	assert_int_equal(run_mode(geteuid() == 0 ? "root" : "caller"), 0);
	/* the grid left nothing open */
	assert_int_equal(files_count(current_files()), 0);
	assert_int_equal(sock_inuse_get(&init_net), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* children first: the library is still unused here */
		cmocka_unit_test(test_conformance_no_net_raw),
		cmocka_unit_test(test_conformance_nobody),
		cmocka_unit_test(test_conformance_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
