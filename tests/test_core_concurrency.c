/* SPDX-License-Identifier: MIT */
/*
 * test_core_concurrency - the core under contention, for the counts at the
 * end as much as for ThreadSanitizer and AddressSanitizer:
 *
 *   creators   create and close sockets of several families, including a
 *              family, an inet protocol-switch entry and a module that
 *              come and go under them;
 *   registrar  registers/unregisters our test family (sock_register), our
 *              switch entry (inet_register_protosw, with a proto of ours
 *              from proto_register) and loads/unloads udplite (EBUSY while
 *              its sockets exist is expected);
 *   poker      calls sys_fcntl/sys_getsockopt on descriptors being closed
 *              (EBADF is the only acceptable failure) and duplicates them.
 *
 * Every descriptor handed out is claimed in a bitmap with an atomic
 * test-and-set (and released just before its close): a number handed out
 * twice is caught. Bounded in time and in operations, seeded
 * (SOCKCORE_TEST_SEED). Afterwards every counter is back.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "test_util.h"

#define CREATORS	3
#define MAX_OPS		20000		/* per creator */
#define RUN_NS		(2500ULL * 1000 * 1000)
#define MAX_FD		4096
#define HELD_MAX	64		/* per creator */
#define CONC_FAMILY	21		/* AF_RDS's number: not built in here */
#define CONC_PROTO	254

/* ---- our family: built-in style (owner NULL), own proto and cache ------ */

static struct proto conc_fam_proto = {
	.name = "CONC_FAM",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct sock) + 16,
};

static int conc_fam_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		sock->sk = NULL;
		sk_common_release(sk);
	}
	return 0;
}

static const struct proto_ops conc_fam_ops = {
	.family = CONC_FAMILY,
	.owner = THIS_MODULE,
	.release = conc_fam_release,
	.socketpair = sock_no_socketpair,
};

static int conc_fam_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct sock *sk;

	if (sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	sk = sk_alloc(net, CONC_FAMILY, GFP_KERNEL, &conc_fam_proto, kern);
	if (!sk)
		return -ENOBUFS;
	sock->state = SS_UNCONNECTED;
	sock->ops = &conc_fam_ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = (uint16_t)protocol;
	return 0;
}

static const struct net_proto_family conc_family = {
	.family = CONC_FAMILY,
	.create = conc_fam_create,
	.owner = THIS_MODULE,
};

/* ---- our inet protocol-switch entry ------------------------------------------ */

static void conc_inet_close(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

static void conc_inet_unhash(struct sock *sk)
{
}

static struct proto conc_inet_prot = {
	.name = "CONC_INET",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct inet_sock),
	.close = conc_inet_close,
	.unhash = conc_inet_unhash,
};

static struct inet_protosw conc_sw = {
	.type = SOCK_DGRAM,
	.protocol = CONC_PROTO,
	.prot = &conc_inet_prot,
	.ops = &inet_dgram_ops,
};

/* ---- shared state ------------------------------------------------------------ */

static unsigned char claimed[MAX_FD];	/* atomic bytes */
static int stop;			/* atomic */
static unsigned long failures;		/* atomic */
static char first_failure[256];
static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;
static struct files_struct *table;

static void failure(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void failure(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED) == 0) {
		pthread_mutex_lock(&failure_lock);
		va_start(ap, fmt);
		vsnprintf(first_failure, sizeof(first_failure), fmt, ap);
		va_end(ap);
		pthread_mutex_unlock(&failure_lock);
	}
}

/* A descriptor was handed out: it must not be held by anyone else. */
static void claim(int fd, const char *who)
{
	if (fd < 0 || fd >= MAX_FD) {
		failure("%s: descriptor %d out of range", who, fd);
		return;
	}
	if (__atomic_exchange_n(&claimed[fd], 1, __ATOMIC_ACQ_REL))
		failure("%s: descriptor %d handed out twice", who, fd);
}

/* About to close: give the number back first (after the close someone
 * else may get it at once). */
static void unclaim_and_close(int fd, const char *who)
{
	int err;

	__atomic_store_n(&claimed[fd], 0, __ATOMIC_RELEASE);
	err = sys_close(fd);
	if (err)
		failure("%s: close(%d) = %d", who, fd, err);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static bool stopped(void)
{
	return __atomic_load_n(&stop, __ATOMIC_ACQUIRE);
}

/* xorshift, one state per thread */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static unsigned int seed;


/* ---- creators ---------------------------------------------------------------- */

struct kind {
	int family, type, protocol;
	int ok_err1, ok_err2;	/* failures that the churn explains */
};

static const struct kind kinds[] = {
	{ AF_INET, SOCK_STREAM, 0, 0, 0 },
	{ AF_INET, SOCK_DGRAM, 0, 0, 0 },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0, 0 },
	{ AF_UNIX, SOCK_STREAM, 0, 0, 0 },
	{ AF_NETLINK, SOCK_RAW, 0, 0, 0 },
	{ CONC_FAMILY, SOCK_DGRAM, 5, EAFNOSUPPORT, 0 },
	{ AF_INET, SOCK_DGRAM, CONC_PROTO, EPROTONOSUPPORT, 0 },
	/* the module may be loading or unloading: EPROTONOSUPPORT */
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, EPROTONOSUPPORT, 0 },
};

struct creator {
	pthread_t th;
	int id;
	uint32_t rng;
	int held[HELD_MAX];
	int nheld;
	unsigned long made, refused;
};

static void *creator_main(void *arg)
{
	struct creator *c = arg;
	char who[32];

	snprintf(who, sizeof(who), "creator %d", c->id);
	sockcore_switch_files(table);
	for (int op = 0; op < MAX_OPS && !stopped(); op++) {
		uint32_t r = rnd(&c->rng);

		if (c->nheld == HELD_MAX || (c->nheld && (r & 3) == 0)) {
			int i = (int)((r >> 8) % (uint32_t)c->nheld);

			unclaim_and_close(c->held[i], who);
			c->held[i] = c->held[--c->nheld];
			continue;
		}
		const struct kind *k = &kinds[(r >> 4) % (sizeof(kinds) / sizeof(kinds[0]))];
		int flags = (r & 0x10000) ? SOCK_CLOEXEC : 0;
		int fd = sys_socket(k->family, k->type | flags, k->protocol);

		if (fd >= 0) {
			claim(fd, who);
			c->held[c->nheld++] = fd;
			__atomic_fetch_add(&c->made, 1, __ATOMIC_RELAXED);
			/* the socket is what was asked for */
			socklen_t len = sizeof(int);
			int dom = -1;
			int err = sys_getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len);

			if (err || dom != k->family)
				failure("%s: (%d, %d, %d) fd %d: SO_DOMAIN %d err %d",
					who, k->family, k->type, k->protocol,
					fd, dom, err);
		} else if (-fd == k->ok_err1 || -fd == k->ok_err2) {
			__atomic_fetch_add(&c->refused, 1, __ATOMIC_RELAXED);
		} else {
			failure("%s: socket(%d, %d, %d) = %d", who, k->family,
				k->type, k->protocol, fd);
		}
	}
	while (c->nheld)
		unclaim_and_close(c->held[--c->nheld], who);
	sockcore_switch_files(NULL);
	return NULL;
}

/* ---- registrar ------------------------------------------------------------------- */

struct registrar {
	pthread_t th;
	uint32_t rng;
	bool family_on, sw_on;
	unsigned long rounds, unload_busy, unloads;
};

static void *registrar_main(void *arg)
{
	struct registrar *g = arg;
	int err;

	while (!stopped()) {
		uint32_t r = rnd(&g->rng);

		switch (r % 3) {
		case 0:
			if (g->family_on) {
				sock_unregister(CONC_FAMILY);
			} else if ((err = sock_register(&conc_family))) {
				failure("sock_register = %d", err);
				break;
			}
			g->family_on = !g->family_on;
			break;
		case 1:
			err = g->sw_on ? inet_unregister_protosw(&conc_sw)
				       : inet_register_protosw(&conc_sw);
			if (err)
				failure("inet_(un)register_protosw = %d", err);
			else
				g->sw_on = !g->sw_on;
			break;
		default:
			err = sockcore_module_load("udplite");
			if (err && err != -EEXIST)
				failure("load udplite = %d", err);
			sched_yield();
			err = sockcore_module_unload("udplite");
			if (err == -EBUSY)
				g->unload_busy++;
			else if (err == 0)
				g->unloads++;
			else if (err != -ENOENT)
				failure("unload udplite = %d", err);
			break;
		}
		g->rounds++;
	}
	if (g->family_on)
		sock_unregister(CONC_FAMILY);
	if (g->sw_on && (err = inet_unregister_protosw(&conc_sw)))
		failure("final inet_unregister_protosw = %d", err);
	return NULL;
}

/* ---- poker ------------------------------------------------------------------------- */

struct poker {
	pthread_t th;
	uint32_t rng;
	unsigned long hits, misses, dups;
};

static void *poker_main(void *arg)
{
	struct poker *p = arg;

	sockcore_switch_files(table);
	while (!stopped()) {
		uint32_t r = rnd(&p->rng);
		int fd = (int)((r >> 4) % 200), v = 0, ret;
		socklen_t len = sizeof(v);

		switch (r & 3) {
		case 0:
			ret = sys_fcntl(fd, F_GETFL, 0);
			if (ret >= 0 && (ret & O_ACCMODE) != O_RDWR)
				failure("F_GETFL(%d) = %#x", fd, ret);
			break;
		case 1:
			/* reads the close-on-exec bitmap without the table lock */
			ret = sys_fcntl(fd, F_GETFD, 0);
			if (ret > FD_CLOEXEC)
				failure("F_GETFD(%d) = %d", fd, ret);
			break;
		case 2:
			ret = sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len);
			if (ret == 0 && (v < 1 || v > SOCK_PACKET))
				failure("SO_TYPE(%d) = %d", fd, v);
			break;
		default:
			ret = sys_fcntl(fd, F_DUPFD_CLOEXEC, 0);
			if (ret >= 0) {
				claim(ret, "poker");
				p->dups++;
				unclaim_and_close(ret, "poker");
				ret = 0;
			}
			break;
		}
		if (ret >= 0)
			p->hits++;
		else if (ret == -EBADF)
			p->misses++;
		else
			failure("poker: op %u on %d = %d", r & 3, fd, ret);
	}
	sockcore_switch_files(NULL);
	return NULL;
}

/* ---- the test ------------------------------------------------------------------- */

static void test_core_concurrency(void **state)
{
	struct creator cr[CREATORS];
	struct registrar g = { 0 };
	struct poker p = { 0 };
	struct sc_counters before;
	unsigned long made = 0, refused = 0;
	uint64_t start;

	(void)state;
	assert_int_equal(sockcore_init(), 0);
	printf("core concurrency: seed %u\n", seed);
	assert_int_equal(proto_register(&conc_fam_proto, 1), 0);
	assert_int_equal(proto_register(&conc_inet_prot, 1), 0);
	table = files_create(MAX_FD);
	assert_non_null(table);
	sockcore_switch_files(table);
	before = sc_counters_now();
	assert_int_equal(before.files, 0);

	g.rng = seed * 2654435761U + 1;
	p.rng = seed * 2246822519U + 3;
	for (int i = 0; i < CREATORS; i++) {
		memset(&cr[i], 0, sizeof(cr[i]));
		cr[i].id = i;
		cr[i].rng = seed * 3266489917U + 7 * (unsigned int)i + 5;
	}
	for (int i = 0; i < CREATORS; i++)
		assert_int_equal(pthread_create(&cr[i].th, NULL, creator_main, &cr[i]), 0);
	assert_int_equal(pthread_create(&g.th, NULL, registrar_main, &g), 0);
	assert_int_equal(pthread_create(&p.th, NULL, poker_main, &p), 0);

	start = now_ns();
	for (;;) {
		bool all_done = true;

		usleep(20000);
		for (int i = 0; i < CREATORS; i++)
			if (__atomic_load_n(&cr[i].made, __ATOMIC_RELAXED) +
			    __atomic_load_n(&cr[i].refused, __ATOMIC_RELAXED) <
			    MAX_OPS / 2)
				all_done = false;
		if (now_ns() - start > RUN_NS || all_done)
			break;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < CREATORS; i++) {
		assert_int_equal(pthread_join(cr[i].th, NULL), 0);
		made += cr[i].made;
		refused += cr[i].refused;
	}
	assert_int_equal(pthread_join(g.th, NULL), 0);
	assert_int_equal(pthread_join(p.th, NULL), 0);

	printf("core concurrency: %lu sockets made, %lu refused by the churn; "
	       "registrar %lu rounds (%lu udplite unloads, %lu EBUSY); poker "
	       "%lu hits, %lu EBADF, %lu dups\n", made, refused, g.rounds,
	       g.unloads, g.unload_busy, p.hits, p.misses, p.dups);
	if (failures)
		fail_msg("%lu failures, first: %s", failures, first_failure);
	assert_true(made > 0);
	assert_true(g.rounds > 0);

	/* everything back */
	for (int fd = 0; fd < MAX_FD; fd++)
		assert_int_equal(claimed[fd], 0);
	assert_int_equal(files_count(table), 0);
	sockcore_module_unload("udplite");
	assert_false(sock_is_registered(CONC_FAMILY));
	assert_counters_equal(sc_counters_now(), before);
	struct kmem_cache_stats st;
	assert_int_equal(kmem_cache_get_stats(conc_fam_proto.slab, &st), 0);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(kmem_cache_get_stats(conc_inet_prot.slab, &st), 0);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(sock_prot_inuse_get(&init_net, &tcp_prot), 0);
	assert_int_equal(sock_prot_inuse_get(&init_net, &udp_prot), 0);
	sockcore_switch_files(NULL);
	files_put(table);
	proto_unregister(&conc_inet_prot);
	proto_unregister(&conc_fam_proto);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_concurrency),
	};
	const char *s = getenv("SOCKCORE_TEST_SEED");

	seed = s ? (unsigned int)strtoul(s, NULL, 0) : (unsigned int)time(NULL);
	if (!seed)
		seed = 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
