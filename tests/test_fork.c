/* SPDX-License-Identifier: MIT */
/*
 * test_fork - fork() and teardown.
 *
 * Fork while other threads hold sockets and slab objects and keep
 * creating, closing and looking up sockets (on the shared default table,
 * in namespaces of their own, loading modules): the child, which has only
 * the forking thread, must be able to create and close sockets of every
 * family, allocate from a cache, make a namespace and close what it
 * inherited, within a few seconds (an alarm turns a deadlock on a lock
 * held across fork() into a failure). Its exit status says how it went.
 *
 * The contexts of the threads the child does not have are let go in it:
 * a private descriptor table only such a thread used is closed there.
 *
 * Teardown: a child uses everything (every family, modules, namespaces,
 * tables, a cache of its own), calls sockcore_shutdown() and exits through
 * exit(), so that under the asan preset LeakSanitizer checks the whole
 * process then; its exit status must be 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <execinfo.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "test_util.h"

#define BUSY_THREADS	3
/* forks per scenario: SOCKCORE_TEST_FORKS in the environment, else 20
 * (tests/valgrind.sh asks for fewer: each fork costs seconds there) */
static int nr_forks(void)
{
	const char *env = getenv("SOCKCORE_TEST_FORKS");
	int n = env ? atoi(env) : 0;

	return n > 0 ? n : 20;
}

#ifdef SOCKCORE_TSAN
/*
 * fork() runs the library's prepare handlers, which take every lock of the
 * library (each cache's, each table's, ...) outermost first, on top of
 * jemalloc's: more locks held at once than ThreadSanitizer's deadlock
 * detector can track (64: "CHECK failed: sanitizer_deadlock_detector.h").
 * Race detection stays on; lock-order checking is off for this program.
 */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "detect_deadlocks=0";
}
#endif

/*
 * ThreadSanitizer cannot follow these programs: a child of a
 * multi-threaded parent may not start threads under TSan ("starting new
 * threads after multi-threaded fork is not supported"), and liburcu's
 * call_rcu worker restarts in the child; nor can it see jemalloc (not
 * instrumented) re-initialise its mutexes there. The fork handling is
 * checked by the plain and ASan runs of this test.
 */
#ifdef SOCKCORE_TSAN
#define SKIP_UNDER_TSAN() skip()
#else
#define SKIP_UNDER_TSAN() do { } while (0)
#endif

static struct kmem_cache *fork_cache;
static int stop;	/* atomic */

/* What the busy threads do besides sockets and slab objects. */
enum { BUSY_NETNS = 1, BUSY_MODULES = 2 };
static int busy_extra;

struct busy {
	pthread_t th;
	int id;
	int held[16];
	void *objs[64];
	unsigned long rounds;
};

static void *busy_thread(void *arg)
{
	struct busy *b = arg;
	unsigned long i = 0;
	int fd, err;

	/* hold sockets and slab objects for the whole test */
	for (int k = 0; k < 16; k++)
		b->held[k] = sys_socket(k & 1 ? AF_UNIX : AF_INET, SOCK_DGRAM, 0);
	for (int k = 0; k < 64; k++)
		b->objs[k] = kmem_cache_alloc(fork_cache, GFP_KERNEL);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		struct socket *sock;
		struct net *net = NULL;

		if ((busy_extra & BUSY_NETNS) && b->id == 2 && (i & 15) == 0) {
			net = net_create();
			sockcore_switch_net(net);
		}
		fd = sys_socket(i & 1 ? AF_INET6 : AF_UNIX,
				i & 2 ? SOCK_STREAM : SOCK_DGRAM, 0);
		sock = sockfd_lookup(b->held[i & 15], &err);
		if (sock)
			sockfd_put(sock);
		if (fd >= 0)
			sys_close(fd);
		if ((busy_extra & BUSY_MODULES) && b->id == 1 && (i & 31) == 0) {
			fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
			if (fd >= 0)
				sys_close(fd);
			sockcore_module_unload("udplite");
		}
		kmem_cache_free(fork_cache, b->objs[i & 63]);
		b->objs[i & 63] = kmem_cache_alloc(fork_cache, GFP_KERNEL);
		if (net) {
			sockcore_switch_net(NULL);
			put_net(net);
		}
		i++;
	}
	b->rounds = i;
	for (int k = 0; k < 16; k++)
		if (b->held[k] >= 0)
			sys_close(b->held[k]);
	for (int k = 0; k < 64; k++)
		kmem_cache_free(fork_cache, b->objs[k]);
	return NULL;
}

/* An int SOL_SOCKET option, -1 on error (no cmocka in children). */
static int sc_getsockopt_int_nofail(int fd, int optname)
{
	socklen_t len = sizeof(int);
	int v = -1;

	return sys_getsockopt(fd, SOL_SOCKET, optname, &v, &len) ? -1 : v;
}

/* Raw and packet sockets: act with CAP_NET_RAW in the library. */
static void allow_raw(void)
{
	struct cred c;

	sockcore_cred_get(&c);
	c.cap_effective |= UINT64_C(1) << CAP_NET_RAW;
	sockcore_cred_set(&c);
}

/* A child that hangs says where, then exits with status 3. */
static void child_alarm(int sig)
{
	static const char msg[] = "child: hung after fork(); stack:\n";
	void *frames[32];
	int n = backtrace(frames, 32);

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	backtrace_symbols_fd(frames, n, 2);
	_exit(3);
}

/* In the child: no cmocka, a status. */
#define CHILD_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "child: " __VA_ARGS__);			\
		fputc('\n', stderr);					\
		return 1;						\
	}								\
} while (0)

static int child_work(void *arg)
{
	static const int spec[][3] = {
		{ AF_INET, SOCK_STREAM, 0 }, { AF_INET, SOCK_DGRAM, 0 },
		{ AF_INET, SOCK_RAW, IPPROTO_ICMP }, { AF_INET6, SOCK_STREAM, 0 },
		{ AF_INET6, SOCK_DGRAM, 0 }, { AF_UNIX, SOCK_STREAM, 0 },
		{ AF_UNIX, SOCK_DGRAM, 0 }, { AF_PACKET, SOCK_RAW, 0 },
		{ AF_NETLINK, SOCK_RAW, 0 },
		{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE },
	};
	int inherited = *(int *)arg, fd, sv[2];
	struct net *net;
	void *obj;

	signal(SIGALRM, child_alarm);
	alarm(10);	/* a lock held across fork() would hang us here */
	allow_raw();
	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		fd = sys_socket(spec[i][0], spec[i][1], spec[i][2]);
		CHILD_CHECK(fd >= 0, "socket(%d, %d, %d) = %d", spec[i][0],
			    spec[i][1], spec[i][2], fd);
		CHILD_CHECK(sc_getsockopt_int_nofail(fd, SO_DOMAIN) == spec[i][0],
			    "SO_DOMAIN of %d", fd);
		CHILD_CHECK(sys_close(fd) == 0, "close(%d)", fd);
	}
	CHILD_CHECK(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "pair");
	CHILD_CHECK(sys_close(sv[0]) == 0 && sys_close(sv[1]) == 0, "pair close");
	obj = kmem_cache_alloc(fork_cache, GFP_KERNEL);
	CHILD_CHECK(obj != NULL, "kmem_cache_alloc");
	kmem_cache_free(fork_cache, obj);
	net = net_create();
	CHILD_CHECK(net != NULL, "net_create");
	sockcore_switch_net(net);
	fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	CHILD_CHECK(fd >= 0, "raw socket in a new namespace: %d", fd);
	CHILD_CHECK(sys_close(fd) == 0, "close raw");
	sockcore_switch_net(NULL);
	put_net(net);
	/* what the parent had before the fork is ours to close */
	CHILD_CHECK(sc_getsockopt_int_nofail(inherited, SO_TYPE) == SOCK_SEQPACKET,
		    "inherited descriptor");
	CHILD_CHECK(sys_close(inherited) == 0, "close inherited");
	CHILD_CHECK(sys_close(inherited) == -EBADF, "close inherited twice");
	alarm(0);
	return 0;
}

static void fork_while_busy(int extra, const char *what)
{
	static struct busy b[BUSY_THREADS];
	int inherited, status, failed = 0;
	unsigned long rounds = 0;

	SKIP_UNDER_TSAN();
	assert_int_equal(sockcore_init(), 0);
	busy_extra = extra;
	__atomic_store_n(&stop, 0, __ATOMIC_RELEASE);
	memset(b, 0, sizeof(b));
	fork_cache = kmem_cache_create("fork-test", 200, 0, 0, NULL);
	assert_non_null(fork_cache);
	inherited = sys_socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(inherited >= 0);
	for (int i = 0; i < BUSY_THREADS; i++) {
		b[i].id = i;
		assert_int_equal(pthread_create(&b[i].th, NULL, busy_thread, &b[i]), 0);
	}
	usleep(20000);
	for (int f = 0; f < nr_forks(); f++) {
		usleep(1000 + (f * 7919) % 5000);
		status = sc_run_child(child_work, &inherited);
		if (status) {
			fprintf(stderr, "%s: fork %d: child exit status %d\n",
				what, f, status);
			failed++;
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < BUSY_THREADS; i++) {
		assert_int_equal(pthread_join(b[i].th, NULL), 0);
		rounds += b[i].rounds;
	}
	printf("fork (%s): %d forks while %d threads made %lu rounds; %d "
	       "children failed\n", what, nr_forks(), BUSY_THREADS, rounds, failed);
	assert_int_equal(sys_close(inherited), 0);
	kmem_cache_destroy(fork_cache);
	assert_int_equal(failed, 0);
}

/* Threads create, close and look up sockets on the shared default table
 * and allocate from a cache: tables, families, protos, slab depot. */
static void test_fork_while_creating(void **state)
{
	(void)state;
	fork_while_busy(0, "sockets and slab");
}

/* ... and make and destroy namespaces. */
static void test_fork_while_netns(void **state)
{
	(void)state;
	fork_while_busy(BUSY_NETNS, "namespaces");
}

/*
 * ... and load and unload UDP-Lite: unloading holds module_mutex across
 * synchronize_rcu()/rcu_barrier(), so a fork() often lands while it is
 * held; the child's first request_module() must not hang on it.
 */
static void test_fork_while_modules(void **state)
{
	(void)state;
	fork_while_busy(BUSY_NETNS | BUSY_MODULES, "modules");
}

/* ---- other threads' contexts ------------------------------------------------- */

#define PRIVATE_SOCKETS	3

struct holder {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stage;		/* 1: sockets made; 2: may exit */
	int err;
};

static void holder_set(struct holder *h, int stage)
{
	pthread_mutex_lock(&h->lock);
	h->stage = stage;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

static void holder_wait(struct holder *h, int stage)
{
	pthread_mutex_lock(&h->lock);
	while (h->stage < stage)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
}

/* A thread whose context holds the only reference to a private table
 * with sockets in it, until it exits. */
static void *holder_thread(void *arg)
{
	struct holder *h = arg;
	struct files_struct *files = files_create(0);

	sockcore_switch_files(files);
	files_put(files);
	for (int i = 0; i < PRIVATE_SOCKETS; i++)
		if (sys_socket(AF_INET, SOCK_DGRAM, 0) < 0)
			h->err = 1;
	holder_set(h, 1);
	holder_wait(h, 2);
	return NULL;
}

static int child_count(void *arg)
{
	long want = *(long *)arg;
	long got = sock_inuse_get(current_net());

	if (got != want) {
		fprintf(stderr, "child: %ld sockets in use, want %ld\n", got, want);
		return 1;
	}
	/* and the child goes on creating */
	return sys_close(sys_socket(AF_INET, SOCK_DGRAM, 0)) == 0 ? 0 : 2;
}

static void test_fork_forgets_other_threads(void **state)
{
	struct holder h = {
		PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0,
	};
	long before = sock_inuse_get(current_net()), in_child;
	pthread_t tid;

	(void)state;
	SKIP_UNDER_TSAN();
	assert_int_equal(pthread_create(&tid, NULL, holder_thread, &h), 0);
	holder_wait(&h, 1);
	assert_int_equal(h.err, 0);
	assert_int_equal(sock_inuse_get(current_net()), before + PRIVATE_SOCKETS);

	/* the child has no holder thread: its table, and sockets, go */
	in_child = before;
	assert_int_equal(sc_run_child(child_count, &in_child), 0);

	/* the parent's are untouched, until the thread exits */
	assert_int_equal(sock_inuse_get(current_net()), before + PRIVATE_SOCKETS);
	holder_set(&h, 2);
	assert_int_equal(pthread_join(tid, NULL), 0);
	assert_int_equal(sock_inuse_get(current_net()), before);
}

/* ---- teardown ---------------------------------------------------------------- */

static int child_shutdown(void *arg)
{
	struct files_struct *files;
	struct net *net;
	struct kmem_cache *c;
	int fd, sv[2];

	(void)arg;
	allow_raw();
	c = kmem_cache_create("teardown-test", 100, 0, 0, NULL);
	CHILD_CHECK(c != NULL, "cache");
	kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
	for (int fam = 0; fam < 2; fam++) {
		net = fam ? net_create() : NULL;
		sockcore_switch_net(net);
		/* left open on purpose: shutdown closes them */
		CHILD_CHECK(sys_socket(AF_INET, SOCK_STREAM, 0) >= 0, "tcp");
		CHILD_CHECK(sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) >= 0, "raw");
		CHILD_CHECK(sys_socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE) >= 0,
			    "udplite6");
		CHILD_CHECK(sys_socket(AF_INET, SOCK_STREAM, 262) >= 0, "mptcp");
		CHILD_CHECK(sys_socket(AF_PACKET, SOCK_DGRAM, 0) >= 0, "packet");
		CHILD_CHECK(sys_socket(AF_NETLINK, SOCK_DGRAM, 0) >= 0, "netlink");
		CHILD_CHECK(sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "pair");
		sockcore_switch_net(NULL);
		if (net)
			put_net(net);
	}
	files = files_create(0);
	sockcore_switch_files(files);
	files_put(files);
	fd = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	CHILD_CHECK(fd == 0, "socket in a private table: %d", fd);
	sockcore_switch_files(NULL);
	kmem_cache_destroy(c);
	sockcore_shutdown();
	fflush(NULL);
	exit(0);	/* LeakSanitizer (asan preset) checks here */
}

static void test_shutdown_leaves_nothing(void **state)
{
	(void)state;
	SKIP_UNDER_TSAN();
	assert_int_equal(sc_run_child(child_shutdown, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shutdown_leaves_nothing),
		cmocka_unit_test(test_fork_while_creating),
		cmocka_unit_test(test_fork_while_netns),
		cmocka_unit_test(test_fork_while_modules),
		cmocka_unit_test(test_fork_forgets_other_threads),
	};
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return rc;
}
