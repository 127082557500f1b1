/* SPDX-License-Identifier: MIT */
/*
 * test_netns - network namespaces: creation and references, sysctl
 * defaults (the machine's net.core values, the kernel's defaults
 * elsewhere), per-namespace in-use counters, the calling thread's
 * namespace, and sockets pinning their namespace.
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

/* A /proc/sys value, or @dflt if the machine does not have it. */
static int proc_int(const char *path, int dflt)
{
	FILE *f = fopen(path, "re");
	int v = dflt;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

static void check_default_sysctl(const struct netns_sysctl *s)
{
	assert_int_equal(s->rmem_default,
			 proc_int("/proc/sys/net/core/rmem_default", 212992));
	assert_int_equal(s->wmem_default,
			 proc_int("/proc/sys/net/core/wmem_default", 212992));
	assert_int_equal(s->rmem_max, proc_int("/proc/sys/net/core/rmem_max", 212992));
	assert_int_equal(s->wmem_max, proc_int("/proc/sys/net/core/wmem_max", 212992));
	/* the kernel's defaults for a new namespace, whatever the machine's
	 * init namespace was set to */
	assert_int_equal(s->ping_group_range[0], 1);
	assert_int_equal(s->ping_group_range[1], 0);
	assert_int_equal(s->mptcp_enabled, 1);
	assert_int_equal(s->ip_no_pmtu_disc, 0);
	assert_int_equal(s->unix_max_dgram_qlen, 10);
	assert_true(s->tcp_rmem[0] <= s->tcp_rmem[1]);
	assert_true(s->tcp_rmem[1] <= s->tcp_rmem[2]);
	assert_true(s->tcp_wmem[0] <= s->tcp_wmem[1]);
}

static void test_create_and_defaults(void **state)
{
	struct net *a, *b;

	(void)state;
	assert_int_equal(init_net.id, 0);
	assert_ptr_equal(init_net.user_ns, &init_user_ns);
	check_default_sysctl(&init_net.sysctl);
	a = net_create();
	b = net_create();
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->refcnt, 1);
	assert_int_not_equal(a->id, 0);
	assert_int_not_equal(b->id, 0);
	assert_int_not_equal(a->id, b->id);
	assert_ptr_equal(a->user_ns, &init_user_ns);
	assert_non_null(a->priv);
	check_default_sysctl(&a->sysctl);
	/* each namespace has its own copy */
	a->sysctl.rmem_default = 4096;
	assert_int_not_equal(b->sysctl.rmem_default, 4096);
	assert_int_not_equal(init_net.sysctl.rmem_default, 4096);
	assert_int_equal(sock_inuse_get(a), 0);
	assert_int_equal(sock_prot_inuse_get(a, &tcp_prot), 0);
	put_net(a);
	put_net(b);
}

static void test_get_put(void **state)
{
	struct net *net = net_create();
	int init_ref = init_net.refcnt;

	(void)state;
	assert_non_null(net);
	assert_ptr_equal(get_net(net), net);
	assert_int_equal(net->refcnt, 2);
	assert_ptr_equal(get_net(net), net);
	assert_int_equal(net->refcnt, 3);
	put_net(net);
	put_net(net);
	assert_int_equal(net->refcnt, 1);
	put_net(net);	/* freed: ASan/LSan would see a leak otherwise */
	/* init_net is never freed */
	get_net(&init_net);
	assert_int_equal(init_net.refcnt, init_ref + 1);
	put_net(&init_net);
	assert_int_equal(init_net.refcnt, init_ref);
}

static void test_inuse_per_namespace(void **state)
{
	struct net *a = net_create(), *b = net_create();
	long init_tcp = sock_prot_inuse_get(&init_net, &tcp_prot);
	long init_all = sock_inuse_get(&init_net);
	int fa[2], fb;

	(void)state;
	sockcore_switch_net(a);
	assert_ptr_equal(current_net(), a);
	fa[0] = sys_socket(AF_INET, SOCK_STREAM, 0);
	fa[1] = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fa[0] >= 0 && fa[1] >= 0);
	int ua = sys_socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(ua >= 0);
	sockcore_switch_net(b);
	fb = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fb >= 0);
	sockcore_switch_net(NULL);
	assert_int_equal(sock_prot_inuse_get(a, &tcp_prot), 2);
	assert_int_equal(sock_prot_inuse_get(a, &udp_prot), 1);
	assert_int_equal(sock_inuse_get(a), 3);
	assert_int_equal(sock_prot_inuse_get(b, &tcp_prot), 1);
	assert_int_equal(sock_prot_inuse_get(b, &udp_prot), 0);
	assert_int_equal(sock_inuse_get(b), 1);
	assert_int_equal(sock_prot_inuse_get(&init_net, &tcp_prot), init_tcp);
	assert_int_equal(sock_inuse_get(&init_net), init_all);
	/* the socket's namespace is its creator's, whatever the closer's */
	struct socket *sock;
	int err;
	sock = sockfd_lookup(fb, &err);
	assert_non_null(sock);
	assert_ptr_equal(sock_net(sock->sk), b);
	sockfd_put(sock);
	assert_int_equal(sys_close(fa[0]), 0);
	assert_int_equal(sock_prot_inuse_get(a, &tcp_prot), 1);
	assert_int_equal(sys_close(fa[1]), 0);
	assert_int_equal(sys_close(ua), 0);
	assert_int_equal(sys_close(fb), 0);
	assert_int_equal(sock_inuse_get(a), 0);
	assert_int_equal(sock_prot_inuse_get(a, &tcp_prot), 0);
	assert_int_equal(sock_prot_inuse_get(b, &tcp_prot), 0);
	/* sock_prot_inuse_add is per namespace and per proto */
	sock_prot_inuse_add(a, &raw_prot, 5);
	assert_int_equal(sock_prot_inuse_get(a, &raw_prot), 5);
	assert_int_equal(sock_prot_inuse_get(b, &raw_prot), 0);
	sock_prot_inuse_add(a, &raw_prot, -5);
	assert_int_equal(sock_prot_inuse_get(a, &raw_prot), 0);
	put_net(a);
	put_net(b);
}

/* Objects out of the kmalloc caches: a namespace's memory comes from
 * there, so its release shows as the count coming back. */
static int count_kmalloc(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_stats st;

	if (kmem_cache_get_stats(s, &st) == 0 && !strncmp(st.name, "kmalloc", 7))
		*(unsigned long *)arg += st.active_objs;
	return 0;
}

static unsigned long kmalloc_active(void)
{
	unsigned long n = 0;

	kmem_cache_for_each(count_kmalloc, &n);
	return n;
}

static void test_sockets_pin_namespace(void **state)
{
	unsigned long base;
	struct net *net;
	int fd, fd2;

	(void)state;
	/* warm up: the first creation may allocate once-only state */
	sc_socket_errno(AF_INET, SOCK_STREAM, 0);
	base = kmalloc_active();
	net = net_create();
	assert_non_null(net);
	assert_true(kmalloc_active() > base);
	sockcore_switch_net(net);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	fd2 = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0 && fd2 >= 0);
	sockcore_switch_net(NULL);
	/* the creator's reference plus one per user socket */
	assert_int_equal(net->refcnt, 3);
	put_net(net);
	/* the namespace lives on for its sockets */
	assert_int_equal(net->refcnt, 2);
	assert_int_equal(sock_inuse_get(net), 2);
	assert_true(kmalloc_active() > base);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(net->refcnt, 1);
	assert_int_equal(sock_inuse_get(net), 1);
	/* the last socket's close frees it */
	assert_int_equal(sys_close(fd2), 0);
	assert_int_equal(kmalloc_active(), base);
}

static void test_sysctl_per_namespace(void **state)
{
	struct net *net = net_create();
	struct cred c;
	int fd;

	(void)state;
	assert_non_null(net);
	/* gid 0 may open ping sockets in a namespace that allows it */
	sockcore_cred_get(&c);
	c.egid = 0;
	c.ngroups = 0;
	sockcore_cred_set(&c);
	net->sysctl.ping_group_range[0] = 0;
	net->sysctl.ping_group_range[1] = 0;
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), -EACCES);
	sockcore_switch_net(net);
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	assert_true(fd >= 0);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), IPPROTO_ICMP);
	assert_int_equal(sys_close(fd), 0);
	sockcore_switch_net(NULL);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), -EACCES);
	put_net(net);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, sc_setup_fresh, sc_teardown_fresh)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_and_defaults),
		T(test_get_put),
		T(test_inuse_per_namespace),
		T(test_sockets_pin_namespace),
		T(test_sysctl_per_namespace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
