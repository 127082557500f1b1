/* SPDX-License-Identifier: MIT */
/*
 * test_faults - fault campaigns on the socket-creation path.
 *
 * For every family and type that can be created, fail the 1st, 2nd, ...
 * Nth slab allocation of the call in turn (failslab: probability 100,
 * interval N, times 1, every cache) until a run completes without an
 * injection. The site that failed is read back from the caches' alloc_fail
 * counters, and each failure must:
 *   - return the kernel's errno for that site: ENFILE for the socket object
 *     (sock_inode_cache), ENOMEM for the sock of AF_INET, AF_UNIX and
 *     AF_NETLINK, ENOBUFS for AF_INET6 and AF_PACKET, ENOMEM for the
 *     growth of the descriptor table;
 *   - leave every cache's active objects, every proto's in-use counter in
 *     both namespaces, the sockets in use, module reference counts, the
 *     descriptor table and the open-file count exactly as before;
 *   - be followed by a call that succeeds with the lowest free descriptor.
 * The same rules for table growth past 64 descriptors, module autoloading
 * (UDP-Lite), library re-initialisation (which includes request_module()'s
 * folder list), namespace creation, a dlopen() that fails, a module whose
 * init fails half-way, and security hooks that refuse.
 *
 * Prints "faults: N injected, M sites, all restored" (M: distinct pairs of
 * operation and failing cache).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <sockcore/ipv6.h>
#include <sockcore/packet.h>
#include <sockcore/netlink.h>
#include "test_util.h"
#include "test_faults_util.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef NETLINK_ROUTE
#define NETLINK_ROUTE 0
#endif
#ifndef NETLINK_GENERIC
#define NETLINK_GENERIC 16
#endif

/* ---- totals for the summary line --------------------------------------- */

static unsigned long total_injected;
#define MAX_SITES 512
static char sites[MAX_SITES][80];
static int nr_sites;

static void note_site(const char *op, const char *cache)
{
	char key[80];

	total_injected++;
	snprintf(key, sizeof(key), "%s@%s", op, cache);
	for (int i = 0; i < nr_sites; i++)
		if (!strcmp(sites[i], key))
			return;
	if (nr_sites < MAX_SITES)
		snprintf(sites[nr_sites++], sizeof(sites[0]), "%s", key);
}

/* ---- failslab ----------------------------------------------------------- */

static void fail_nth(unsigned long n)
{
	struct failslab_attr a = {
		.probability = 100, .interval = n, .times = 1,
	};

	assert_int_equal(failslab_set(&a), 0);
}

static void fail_off(void)
{
	assert_int_equal(failslab_set(NULL), 0);
}

/* Per-cache allocation and failure counts, to find which site failed. */
struct cache_counts {
	int n;
	struct {
		char name[32];
		unsigned long allocs, fails;
	} c[SC_SNAP_MAX];
};

static int count_cache(struct kmem_cache *s, void *arg)
{
	struct cache_counts *cc = arg;
	struct kmem_cache_stats st;

	if (cc->n >= SC_SNAP_MAX || kmem_cache_get_stats(s, &st))
		return 0;
	snprintf(cc->c[cc->n].name, sizeof(cc->c[0].name), "%s", st.name);
	cc->c[cc->n].allocs = st.allocs;
	cc->c[cc->n].fails = st.alloc_fail;
	cc->n++;
	return 0;
}

static void counts_take(struct cache_counts *cc)
{
	cc->n = 0;
	kmem_cache_for_each(count_cache, cc);
}

static unsigned long counts_of(const struct cache_counts *cc, const char *name,
		bool fails)
{
	for (int i = 0; i < cc->n; i++)
		if (!strcmp(cc->c[i].name, name))
			return fails ? cc->c[i].fails : cc->c[i].allocs;
	return 0;
}

/* The one cache whose failure count went up between @a and @b. */
static const char *failed_cache(const struct cache_counts *a,
		const struct cache_counts *b)
{
	const char *found = NULL;

	for (int i = 0; i < b->n; i++) {
		if (b->c[i].fails != counts_of(a, b->c[i].name, true)) {
			if (found)
				fail_msg("two caches failed: %s and %s", found,
					 b->c[i].name);
			found = b->c[i].name;
		}
	}
	return found ? found : "kmalloc-large";
}

/* ---- the operations ------------------------------------------------------ */

enum op_kind { OP_SOCKET, OP_PAIR, OP_DUPFD };

struct op {
	const char *name;
	enum op_kind kind;
	int family, type, protocol;
	int sk_errno;		/* the family's answer to a failed sk_alloc */
	int final_errno;	/* what a run without injection returns */
	/* learned from a clean run: the caches the sock comes from */
	char sk_cache[2][32];
};

#define SOCK(n, f, t, p, e) { n, OP_SOCKET, f, t, p, e, 0, { "" } }
#define PAIR(n, f, t, p, e, fin) { n, OP_PAIR, f, t, p, e, fin, { "" } }

static struct op grid[] = {
	SOCK("inet/tcp", AF_INET, SOCK_STREAM, 0, ENOMEM),
	SOCK("inet/tcp-cloexec-nonblock", AF_INET,
	     SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP, ENOMEM),
	SOCK("inet/udp", AF_INET, SOCK_DGRAM, 0, ENOMEM),
	SOCK("inet/ping", AF_INET, SOCK_DGRAM, IPPROTO_ICMP, ENOMEM),
	SOCK("inet/raw-icmp", AF_INET, SOCK_RAW, IPPROTO_ICMP, ENOMEM),
	SOCK("inet/raw-raw", AF_INET, SOCK_RAW, IPPROTO_RAW, ENOMEM),
	SOCK("inet/udplite", AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, ENOMEM),
	SOCK("inet/mptcp", AF_INET, SOCK_STREAM, IPPROTO_MPTCP, ENOMEM),
	SOCK("inet6/tcp", AF_INET6, SOCK_STREAM, 0, ENOBUFS),
	SOCK("inet6/udp", AF_INET6, SOCK_DGRAM, 0, ENOBUFS),
	SOCK("inet6/ping", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, ENOBUFS),
	SOCK("inet6/raw-icmpv6", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, ENOBUFS),
	SOCK("inet6/raw-raw", AF_INET6, SOCK_RAW, IPPROTO_RAW, ENOBUFS),
	SOCK("inet6/udplite", AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE, ENOBUFS),
	SOCK("inet6/mptcp", AF_INET6, SOCK_STREAM, IPPROTO_MPTCP, ENOBUFS),
	SOCK("unix/stream", AF_UNIX, SOCK_STREAM, 0, ENOMEM),
	SOCK("unix/dgram", AF_UNIX, SOCK_DGRAM, 0, ENOMEM),
	SOCK("unix/seqpacket", AF_UNIX, SOCK_SEQPACKET, 0, ENOMEM),
	SOCK("unix/raw", AF_UNIX, SOCK_RAW, PF_UNIX, ENOMEM),
	SOCK("packet/dgram", AF_PACKET, SOCK_DGRAM, 0, ENOBUFS),
	SOCK("packet/raw", AF_PACKET, SOCK_RAW, 0x0300, ENOBUFS),
	SOCK("packet/packet", AF_PACKET, SOCK_PACKET, 0, ENOBUFS),
	SOCK("inet/sock_packet", AF_INET, SOCK_PACKET, 0, ENOBUFS),
	SOCK("netlink/route-raw", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, ENOMEM),
	SOCK("netlink/route-dgram", AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE, ENOMEM),
	SOCK("netlink/generic", AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC, ENOMEM),
	/* a family that is a loadable module (tests/modules/testfam.c) */
	SOCK("testfam/dgram", 12, SOCK_DGRAM, 7, ENOBUFS),
	PAIR("pair/unix-stream", AF_UNIX, SOCK_STREAM, 0, ENOMEM, 0),
	PAIR("pair/unix-dgram", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, ENOMEM, 0),
	PAIR("pair/unix-seqpacket", AF_UNIX, SOCK_SEQPACKET, 0, ENOMEM, 0),
	PAIR("pair/inet-dgram", AF_INET, SOCK_DGRAM, 0, ENOMEM, EOPNOTSUPP),
	PAIR("pair/netlink", AF_NETLINK, SOCK_RAW, 0, ENOMEM, EOPNOTSUPP),
};
#define NR_GRID (sizeof(grid) / sizeof(grid[0]))

/* Run @op: 0 and its descriptors in @fds (-1 when none), or -errno. */
static int run_op(const struct op *op, int fds[2])
{
	int r;

	fds[0] = fds[1] = -1;
	switch (op->kind) {
	case OP_SOCKET:
		r = sys_socket(op->family, op->type, op->protocol);
		if (r < 0)
			return r;
		fds[0] = r;
		return 0;
	case OP_PAIR:
		r = sys_socketpair(op->family, op->type, op->protocol, fds);
		/* a failed pair leaves the (released) numbers in the array */
		if (r < 0)
			fds[0] = fds[1] = -1;
		return r;
	case OP_DUPFD:
		r = sys_fcntl(0, F_DUPFD, 0);
		if (r < 0)
			return r;
		fds[0] = r;
		return 0;
	}
	return -EINVAL;
}

static void close_fds(const int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			assert_int_equal(sys_close(fds[i]), 0);
}

/* The caches whose allocations a clean run of @op makes, besides the
 * socket object's: where its sock comes from. */
static void learn_sk_cache(struct op *op)
{
	struct cache_counts a, b;
	int fds[2], n = 0, r;

	counts_take(&a);
	r = run_op(op, fds);
	if (r != -op->final_errno)
		fail_msg("%s: a clean run returned %d", op->name, r);
	counts_take(&b);
	close_fds(fds);
	for (int i = 0; i < b.n && n < 2; i++) {
		if (!strcmp(b.c[i].name, "sock_inode_cache"))
			continue;
		if (b.c[i].allocs != counts_of(&a, b.c[i].name, false))
			snprintf(op->sk_cache[n++], sizeof(op->sk_cache[0]),
				 "%s", b.c[i].name);
	}
	if (!n)
		fail_msg("%s: no sock allocation seen", op->name);
}

/* The kernel's errno for a failed allocation in @cache during @op. */
static int site_errno(const struct op *op, const char *cache, bool growth)
{
	if (!strcmp(cache, "sock_inode_cache"))
		return ENFILE;
	if (op->kind != OP_DUPFD &&
	    (!strcmp(cache, op->sk_cache[0]) || !strcmp(cache, op->sk_cache[1])))
		return op->sk_errno;
	if (growth && !strncmp(cache, "kmalloc-", 8))
		return ENOMEM;	/* expand_files() */
	fail_msg("%s: unexpected allocation site %s", op->name, cache);
	return 0;
}

/* The lowest free descriptor of the calling thread's table (the table
 * the campaigns use is always dense from 0). */
static int lowest_free(void)
{
	return (int)files_count(current_files());
}

/*
 * One campaign: @prepare (may be NULL) runs before each attempt with
 * failslab off, and may set up a fresh table. Returns the injections.
 */
static unsigned long campaign(struct op *op, void (*prepare)(void),
		void (*finish)(void), bool growth)
{
	static struct sc_snap before, baseline;
	struct cache_counts ca, cb;
	unsigned long n, injected = 0;
	char ctx[128];
	int fds[2], r, want_fd;

	for (n = 1; n < 1000; n++) {
		if (growth)
			sc_snap_quiescent(&baseline);
		if (prepare)
			prepare();
		sc_snap_quiescent(&before);
		want_fd = lowest_free();
		counts_take(&ca);
		fail_nth(n);
		r = run_op(op, fds);
		injected = failslab_injected();
		fail_off();
		counts_take(&cb);
		snprintf(ctx, sizeof(ctx), "%s, allocation %lu", op->name, n);
		if (!injected) {
			if (r != -op->final_errno)
				fail_msg("%s: clean run returned %d", ctx, r);
			if (!op->final_errno)
				assert_int_equal(fds[0], want_fd);
			close_fds(fds);
			if (finish)
				finish();
			if (!growth && !sc_snap_settle_equal(&before, ctx))
				fail_msg("%s: leak after a clean run", ctx);
			return n - 1;
		}
		const char *cache = failed_cache(&ca, &cb);
		int want = site_errno(op, cache, growth);

		if (r != -want) {
			close_fds(fds);
			fail_msg("%s (%s): returned %d (%s), want -%s", ctx,
				 cache, r, r < 0 ? strerror(-r) : "success",
				 strerror(want));
		}
		if (finish)
			finish();
		if (growth) {
			/*
			 * The table may have grown before the failure (a pair
			 * reserves its descriptors first) and tables never
			 * shrink: the descriptors must be as before, and all
			 * the rest once the table is released.
			 */
			assert_int_equal(files_count(current_files()),
					 before.files);
			assert_int_equal(sockcore_nr_files(), before.nr_files);
			sc_table_fresh(0);
			if (!sc_snap_settle_equal(&baseline, ctx))
				fail_msg("%s (%s): state not restored", ctx,
					 cache);
			prepare();
		} else if (!sc_snap_settle_equal(&before, ctx)) {
			fail_msg("%s (%s): state not restored", ctx, cache);
		}
		note_site(op->name, cache);
		/* the next call succeeds, with the lowest descriptor */
		r = run_op(op, fds);
		if (r != -op->final_errno)
			fail_msg("%s: the call after the failure returned %d",
				 ctx, r);
		if (!op->final_errno)
			assert_int_equal(fds[0], want_fd);
		close_fds(fds);
		if (finish)
			finish();
		if (growth) {
			/* the table grew: compare once it is gone */
			sc_table_fresh(0);
			if (!sc_snap_settle_equal(&baseline, ctx))
				fail_msg("%s: state not restored after the "
					 "retry and the table's release", ctx);
		} else if (!sc_snap_settle_equal(&before, ctx)) {
			fail_msg("%s: state not restored after the retry", ctx);
		}
	}
	fail_msg("%s: still injecting after %lu allocations", op->name, n);
	return 0;
}

/* ---- fixtures ---------------------------------------------------------------- */

static struct net *grid_net;

/* A privileged caller (CAP_NET_RAW for raw and packet sockets) in a
 * namespace of its own where ping is allowed for our group. */
static void enter_grid_net(void)
{
	struct cred c;

	sockcore_cred_get(&c);
	c.cap_effective |= UINT64_C(1) << CAP_NET_RAW;
	sockcore_cred_set(&c);
	grid_net = net_create();
	assert_non_null(grid_net);
	grid_net->sysctl.ping_group_range[0] = 0;
	grid_net->sysctl.ping_group_range[1] = 0x7fffffff;
	sockcore_switch_net(grid_net);
}

static void leave_grid_net(void)
{
	if (!grid_net)
		return;
	sockcore_switch_net(NULL);
	put_net(grid_net);
	grid_net = NULL;
}

static int setup(void **state)
{
	static bool path_added;

	(void)state;
	assert_int_equal(sockcore_init(), 0);
	if (!path_added) {
		/* the test modules: testfam (family 12), failinit (13) */
		assert_int_equal(sockcore_module_add_path(TEST_MODULE_DIR), 0);
		path_added = true;
	}
	fail_off();
	sc_table_fresh(0);
	enter_grid_net();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fail_off();
	leave_grid_net();
	sc_table_drop();
	assert_int_equal(sockcore_cred_refresh(), 0);
	return 0;
}

static struct op *find_op(const char *name)
{
	for (size_t i = 0; i < NR_GRID; i++)
		if (!strcmp(grid[i].name, name))
			return &grid[i];
	fail_msg("no op %s", name);
	return NULL;
}

/* ---- the grid ------------------------------------------------------------------ */

static void test_grid(void **state)
{
	unsigned long total = 0;

	(void)state;
	for (size_t i = 0; i < NR_GRID; i++) {
		struct op *op = &grid[i];
		unsigned long k;

		/* modules (UDP-Lite, MPTCP) load on the clean run */
		learn_sk_cache(op);
		k = campaign(op, NULL, NULL, false);
		assert_true(k >= (op->kind == OP_PAIR ? 4u : 2u));
		total += k;
	}
	printf("grid: %zu operations, %lu allocations failed in turn\n",
	       NR_GRID, total);
}

/* ---- descriptor-table growth ------------------------------------------------------ */

static int growth_fill;	/* descriptors opened before the operation */

/* A fresh table with @growth_fill UDP sockets: the next descriptor needs
 * the table to grow past its first 64 slots. */
static void prepare_growth(void)
{
	sc_table_fresh(0);
	for (int i = 0; i < growth_fill; i++)
		assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 0), i);
}

static void test_table_growth(void **state)
{
	struct op dup = { "dupfd", OP_DUPFD, 0, 0, 0, 0, 0, { "" } };
	struct op *ops[] = {
		find_op("inet/udp"), find_op("unix/stream"),
		find_op("inet6/tcp"), find_op("pair/unix-stream"), &dup,
	};
	unsigned long k;

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct op *op = ops[i];

		if (op->kind != OP_DUPFD)
			learn_sk_cache(op);
		/* a pair needs two: 63 + 2 crosses 64 on the second */
		growth_fill = op->kind == OP_PAIR ? 63 : 64;
		k = campaign(op, prepare_growth, NULL, true);
		/* socket + sock + the table's allocations */
		assert_true(k >= (op->kind == OP_DUPFD ? 1u : 3u));
		sc_table_fresh(0);
	}
	/* and the table the failures left behind still grows to 1000 */
	prepare_growth();
	for (int i = growth_fill; i < 1000; i++)
		assert_int_equal(sys_socket(AF_UNIX, SOCK_DGRAM, 0), i);
	assert_int_equal(files_count(current_files()), 1000);
}

/* ---- module autoload --------------------------------------------------------------- */

static const char *autoload_module;

static void unload_autoload_module(void)
{
	int r = sockcore_module_unload(autoload_module);

	/* loaded by the failed call (its init ran) or not: never busy */
	if (r != 0 && r != -ENOENT)
		fail_msg("unloading %s: %d (a reference was leaked)",
			 autoload_module, r);
}

static void test_module_autoload(void **state)
{
	static const struct {
		const char *module, *op;
	} cases[] = {
		{ "udplite", "inet/udplite" },
		{ "udplite6", "inet6/udplite" },
		{ "mptcp", "inet/mptcp" },
		{ "testfam", "testfam/dgram" },	/* request_module("net-pf-12") */
	};
	unsigned long k;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct op *op = find_op(cases[i].op);

		learn_sk_cache(op);
		autoload_module = cases[i].module;
		unload_autoload_module();
		k = campaign(op, unload_autoload_module, unload_autoload_module,
			     false);
		assert_true(k >= 2);
	}
}

/* ---- namespaces ---------------------------------------------------------------------- */

static void test_net_create(void **state)
{
	static struct sc_snap before;
	unsigned long n;
	struct net *net;
	int fd;

	(void)state;
	for (n = 1; n < 1000; n++) {
		sc_snap_quiescent(&before);
		fail_nth(n);
		net = net_create();
		if (!failslab_injected()) {
			fail_off();
			assert_non_null(net);
			break;
		}
		fail_off();
		assert_null(net);
		if (!sc_snap_settle_equal(&before, "net_create"))
			fail_msg("net_create: allocation %lu leaked", n);
		note_site("net_create", "any");
		net = net_create();
		assert_non_null(net);
		put_net(net);
		if (!sc_snap_settle_equal(&before, "net_create"))
			fail_msg("net_create: retry after %lu leaked", n);
	}
	assert_true(n > 2);
	/* the namespace works: a socket in it, then it goes with the last put */
	sockcore_switch_net(net);
	put_net(net);
	fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	assert_true(fd >= 0);
	assert_int_equal(sys_close(fd), 0);
	sockcore_switch_net(grid_net);
	assert_true(sc_snap_settle_equal(&before, "net_create (after use)"));
}

/* ---- security hooks ------------------------------------------------------------------- */

static int hook_calls, hook_fail_at, hook_errno;

static int hook_count(void)
{
	int n = __atomic_add_fetch(&hook_calls, 1, __ATOMIC_RELAXED);

	return hook_fail_at == 0 || n == hook_fail_at ? -hook_errno : 0;
}

static int post_create_hook(struct socket *sock, int family, int type,
		int protocol, int kern)
{
	(void)sock; (void)family; (void)type; (void)protocol; (void)kern;
	return hook_count();
}

static int create_hook(int family, int type, int protocol, int kern)
{
	(void)family; (void)type; (void)protocol; (void)kern;
	return hook_count();
}

static int sk_alloc_hook(struct sock *sk, int family, gfp_t gfp)
{
	(void)sk; (void)family; (void)gfp;
	return hook_count();
}

static void hook_campaign(struct security_operations *ops, int err,
		bool family_errno)
{
	static struct sc_snap before;
	char ctx[128];
	int fds[2], r;

	for (size_t i = 0; i < NR_GRID; i++) {
		struct op *op = &grid[i];
		int per_call = op->kind == OP_PAIR ? 2 : 1;

		learn_sk_cache(op);
		/* fail the first hook call, then (pairs) the second */
		for (int at = 1; at <= per_call; at++) {
			snprintf(ctx, sizeof(ctx), "%s: %s hook, call %d",
				 op->name, ops->name, at);
			sc_snap_quiescent(&before);
			hook_calls = 0;
			hook_fail_at = at;
			hook_errno = err;
			assert_int_equal(security_add_hooks(ops), 0);
			r = run_op(op, fds);
			assert_int_equal(security_delete_hooks(ops), 0);
			if (r != -(family_errno ? op->sk_errno : err)) {
				close_fds(fds);
				fail_msg("%s: returned %d", ctx, r);
			}
			if (!sc_snap_settle_equal(&before, ctx))
				fail_msg("%s: state not restored", ctx);
			note_site(op->name, ops->name);
			r = run_op(op, fds);
			assert_int_equal(r, -op->final_errno);
			close_fds(fds);
			assert_true(sc_snap_settle_equal(&before, ctx));
		}
	}
}

static void test_security_post_create(void **state)
{
	static struct security_operations ops = {
		.name = "faults-post-create",
		.socket_post_create = post_create_hook,
	};

	(void)state;
	hook_campaign(&ops, EACCES, false);
}

static void test_security_create(void **state)
{
	static struct security_operations ops = {
		.name = "faults-create",
		.socket_create = create_hook,
	};

	(void)state;
	hook_campaign(&ops, EPERM, false);
}

static void test_security_sk_alloc(void **state)
{
	static struct security_operations ops = {
		.name = "faults-sk-alloc",
		.sk_alloc_security = sk_alloc_hook,
	};

	(void)state;
	/* sk_alloc() fails: the family's allocation errno */
	hook_campaign(&ops, ENOMEM, true);
}

/* ---- modules that cannot load ----------------------------------------------------------- */

static char tmpdir[PATH_MAX];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/sockcore-faults-XXXXXX",
		 base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
}

static int find_module(const struct sockcore_module_info *m, void *arg)
{
	return !strcmp(m->name, (const char *)arg);
}

/*
 * A modules.alias that sends the aliases of two unused protocols to a file
 * that is not a shared object and to a shared object that is not a module:
 * request_module() fails (twice per creation, both aliases), inet_create()
 * answers EPROTONOSUPPORT, nothing is left behind;
 * sockcore_module_load() says ENOEXEC. The next UDP-Lite socket (whose
 * aliases still lead to the real module) loads and works.
 */
static void test_dlopen_fails(void **state)
{
	static struct sc_snap before;
	char path[PATH_MAX + 64];
	int fd, r;

	(void)state;
	make_tmpdir();
	write_file(tmpdir, "modules.alias",
		   "alias net-pf-2-proto-200-type-2 bogus\n"
		   "alias net-pf-2-proto-200 bogus\n"
		   "alias net-pf-10-proto-201-type-2 notamodule\n"
		   "alias net-pf-10-proto-201 notamodule\n");
	write_file(tmpdir, "bogus.so", "this is not an ELF file\n");
	snprintf(path, sizeof(path), "%s/notamodule.so", tmpdir);
	r = symlink("/lib/x86_64-linux-gnu/libz.so.1", path);
	if (r)
		r = symlink("/usr/lib/x86_64-linux-gnu/libz.so.1", path);
	assert_int_equal(r, 0);
	assert_int_equal(sockcore_module_add_path(tmpdir), 0);

	r = sockcore_module_unload("udplite");
	assert_true(r == 0 || r == -ENOENT);
	sc_snap_quiescent(&before);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, 200), -EPROTONOSUPPORT);
	assert_true(sc_snap_settle_equal(&before, "dlopen of a non-ELF file"));
	note_site("dlopen", "not-elf");
	assert_int_equal(sys_socket(AF_INET6, SOCK_DGRAM, 201), -EPROTONOSUPPORT);
	assert_true(sc_snap_settle_equal(&before, "dlopen of a non-module"));
	note_site("dlopen", "not-a-module");
	snprintf(path, sizeof(path), "%s/bogus.so", tmpdir);
	assert_int_equal(sockcore_module_load(path), -ENOEXEC);
	snprintf(path, sizeof(path), "%s/notamodule.so", tmpdir);
	assert_int_equal(sockcore_module_load(path), -ENOEXEC);
	assert_int_equal(sockcore_module_load("bogus"), -ENOEXEC);
	assert_int_equal(sockcore_module_load("no-such-module"), -ENOENT);
	assert_false(sockcore_module_for_each(find_module, (char *)"bogus"));
	assert_false(sockcore_module_for_each(find_module, (char *)"notamodule"));
	assert_true(sc_snap_settle_equal(&before, "sockcore_module_load"));
	remove_tmpdir();

	/* the next call succeeds, loading the real module */
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
	assert_true(sc_snap_settle_equal(&before, "after the real module"));
}

/*
 * tests/modules/failinit.c registers its proto (a cache) and family 13,
 * then fails and unwinds: socket(13, ...) tries to load it and answers
 * EAFNOSUPPORT with nothing left. Also with each allocation of the call
 * failed in turn (the socket object: ENFILE, before any loading).
 */
static void test_module_init_fails(void **state)
{
	static struct sc_snap before;
	struct op op = { "failinit", OP_SOCKET, 13, SOCK_DGRAM, 0, 0,
			 EAFNOSUPPORT, { "" } };
	int fd;

	(void)state;
	sc_snap_quiescent(&before);
	assert_int_equal(sys_socket(13, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_false(sockcore_module_for_each(find_module, (char *)"failinit"));
	assert_null(kmem_cache_find("FAILINIT"));
	assert_false(sock_is_registered(13));
	assert_true(sc_snap_settle_equal(&before, "failinit"));
	note_site("failinit", "init");
	assert_int_equal(sockcore_module_load("failinit"), -EIO);
	assert_false(sockcore_module_for_each(find_module, (char *)"failinit"));
	assert_true(sc_snap_settle_equal(&before, "failinit (load)"));
	assert_int_equal(sockcore_module_unload("failinit"), -ENOENT);
	assert_true(campaign(&op, NULL, NULL, false) >= 1);
	/* and everything else still works */
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(sys_close(fd), 0);
}

/* ---- library (re)initialisation -------------------------------------------------------- */

/*
 * The first call after sockcore_shutdown() initialises the library again
 * (caches, namespaces, tables, families) and, with SOCKCORE_MODULE_PATH
 * set, reads the module folders when it first loads a module (UDP-Lite):
 * fail each of those allocations in turn. A failed call returns ENOMEM,
 * ENOBUFS or ENFILE; the next call must succeed, and after it the state
 * must equal that of a run without failures.
 */
static void reinit_campaign(bool module_path)
{
	static struct sc_snap ref;
	char path[2 * PATH_MAX + 16];
	unsigned long n;
	int fd, r;

	leave_grid_net();
	sc_table_drop();
	make_tmpdir();
	snprintf(path, sizeof(path), "%s:%s/none", tmpdir, tmpdir);
	if (module_path)
		setenv("SOCKCORE_MODULE_PATH", path, 1);

	sockcore_shutdown();
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	assert_int_equal(sys_close(fd), 0);
	sc_snap_quiescent(&ref);

	for (n = 1; n < 5000; n++) {
		sockcore_shutdown();
		fail_nth(n);
		r = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
		if (!failslab_injected()) {
			fail_off();
			assert_true(r >= 0);
			assert_int_equal(sys_close(r), 0);
			break;
		}
		fail_off();
		if (r >= 0) {
			/* a failure the library may absorb: the folder list */
			assert_int_equal(sys_close(r), 0);
		} else if (r != -ENOMEM && r != -ENOBUFS && r != -ENFILE) {
			fail_msg("re-init, allocation %lu: returned %d", n, r);
		}
		fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
		if (fd < 0)
			fail_msg("re-init, allocation %lu failed (%d); the next "
				 "call returned %d", n, r, fd);
		assert_int_equal(sys_close(fd), 0);
		if (!sc_snap_settle_equal(&ref, "re-init"))
			fail_msg("re-init: allocation %lu left state behind", n);
		note_site("re-init", "any");
	}
	printf("re-init%s: %lu allocations failed in turn\n",
	       module_path ? " (SOCKCORE_MODULE_PATH)" : "", n - 1);
	assert_true(n > 3);
	unsetenv("SOCKCORE_MODULE_PATH");
	sockcore_shutdown();
	remove_tmpdir();
	assert_int_equal(sockcore_init(), 0);
	sc_table_fresh(0);
	enter_grid_net();
}

static void test_reinit(void **state)
{
	(void)state;
	reinit_campaign(false);
}

/*
 * A failed allocation while SOCKCORE_MODULE_PATH is first read must not
 * drop its folders for the rest of the library's life: the path is read
 * whole, or not at all and again next time.
 */
static void test_reinit_module_path(void **state)
{
	(void)state;
	reinit_campaign(true);
}

static void test_summary(void **state)
{
	(void)state;
	assert_true(total_injected > 0);
	printf("faults: %lu injected, %d sites, all restored\n",
	       total_injected, nr_sites);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_grid),
		T(test_table_growth),
		T(test_module_autoload),
		T(test_net_create),
		T(test_security_post_create),
		T(test_security_create),
		T(test_security_sk_alloc),
		T(test_dlopen_fails),
		T(test_module_init_fails),
		T(test_reinit),
		T(test_reinit_module_path),
		cmocka_unit_test(test_summary),
	};
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return rc;
}
