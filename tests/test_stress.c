/* SPDX-License-Identifier: MIT */
/*
 * test_stress - everything at once, seeded and bounded.
 *
 * Worker threads share one descriptor table and, each from its own seeded
 * random stream, create and close sockets of every family (socket and
 * socketpair), duplicate descriptors, call sys_fcntl()/sys_getsockopt()
 * and sockfd_lookup() on random descriptor numbers (which other threads
 * are opening and closing), switch to namespaces of their own and change
 * their credentials. Meanwhile other threads register and unregister a
 * protocol family and protocol-switch entries (IPv4 and IPv6), load and
 * unload the UDP-Lite module (EBUSY while in use is expected), and create,
 * use and destroy network namespaces.
 *
 * Checked: every call answers one of the errnos the kernel can give for
 * it; a descriptor number is never handed to two owners at once (an
 * ownership table claimed with compare-and-swap) and a socket object never
 * backs two live descriptors unless one is a dup of the other; at the end
 * every cache, counter, module reference and the descriptor table are back
 * to their starting values.
 *
 * SOCKCORE_STRESS_SEED=<n> reproduces a run's random streams (the
 * interleaving is the scheduler's); SOCKCORE_STRESS_OPS=<n> changes the
 * operations per worker, SOCKCORE_STRESS_SECONDS=<n> the time bound.
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
#include <linux/capability.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include <sockcore/ipv6.h>
#include "test_faults_util.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

#define WORKERS		4
#define FD_SPACE	512		/* descriptor numbers tracked */
#define STRESS_FAMILY	12		/* unused by the library (DECnet) */
#define STRESS_PROTO4	253		/* experimental protocol numbers */
#define STRESS_PROTO6	254

static unsigned long seed;
static long ops_per_worker;
static double seconds_bound;
static int stop;			/* atomic */
static unsigned long total_ops;		/* atomic */
static unsigned long churn_ops;		/* atomic */
static unsigned long sockets_made;	/* atomic */

/* ---- failures, collected (cmocka is not thread-safe) ------------------ */

static int failures;			/* atomic */
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((format(printf, 1, 2)))
static void failure(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED) >= 20)
		return;
	pthread_mutex_lock(&fail_lock);
	fprintf(stderr, "stress failure: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&fail_lock);
}

/* ---- random streams ------------------------------------------------------- */

static uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static unsigned int rnd(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rnd_next(s) % n);
}

static uint64_t stream_seed(unsigned int i)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ull + (i + 1) * 0xbf58476d1ce4e5b9ull;

	return s ? s : 1;
}

/* ---- descriptor ownership ------------------------------------------------- */

/* owner[fd]: 0 free, else the owning worker + 1; sockp[fd]: its socket. */
static int owner[FD_SPACE];
static struct socket *sockp[FD_SPACE];

static void claim(int fd, int me, bool dup)
{
	int free_ = 0;

	if (fd < 0 || fd >= FD_SPACE) {
		failure("descriptor %d outside the tracked range", fd);
		return;
	}
	if (!__atomic_compare_exchange_n(&owner[fd], &free_, me + 1, false,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		failure("descriptor %d handed out twice (owner %d, now %d)",
			fd, free_ - 1, me);
	(void)dup;
}

/* Drop ownership before the close: until then nobody else can get it. */
static void release_fd(int fd)
{
	__atomic_store_n(&sockp[fd], NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&owner[fd], 0, __ATOMIC_RELEASE);
	int r = sys_close(fd);

	if (r)
		failure("close of owned descriptor %d: %d", fd, r);
}

/*
 * Record the socket behind a new descriptor and check that no other live
 * descriptor of another owner uses it (objects never handed out twice).
 */
static void check_unique_sock(int fd, int me, bool dup)
{
	int err = 0;
	struct socket *sock = sockfd_lookup(fd, &err);

	if (!sock) {
		failure("lookup of fresh descriptor %d: %d", fd, err);
		return;
	}
	if (!dup) {
		for (int i = 0; i < FD_SPACE; i++) {
			if (i != fd && __atomic_load_n(&sockp[i], __ATOMIC_ACQUIRE) == sock &&
			    __atomic_load_n(&owner[i], __ATOMIC_ACQUIRE) != 0 &&
			    __atomic_load_n(&owner[i], __ATOMIC_ACQUIRE) != me + 1)
				failure("socket %p behind descriptors %d and %d",
					(void *)sock, i, fd);
		}
	}
	__atomic_store_n(&sockp[fd], sock, __ATOMIC_RELEASE);
	sockfd_put(sock);
}

/* ---- a protocol family and switch entries that come and go ---------------- */

static int stress_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
		sock->sk = NULL;
		sk_common_release(sk);
	}
	return 0;
}

static struct proto stress_proto = {
	.name = "STRESS",
	.obj_size = 512,
};

static const struct proto_ops stress_ops = {
	.family = STRESS_FAMILY,
	.release = stress_release,
	.socketpair = sock_no_socketpair,
};

static int stress_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct sock *sk;

	if (protocol)
		return -EPROTONOSUPPORT;
	sock->state = SS_UNCONNECTED;
	sk = sk_alloc(net, STRESS_FAMILY, GFP_KERNEL, &stress_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock->ops = &stress_ops;
	sock_init_data(sock, sk);
	sock_prot_inuse_add(net, &stress_proto, 1);
	return 0;
}

static const struct net_proto_family stress_family = {
	.family = STRESS_FAMILY,
	.create = stress_create,
};

/* An inet-shaped proto for the switch entries: closed by inet_release. */
static void stress_inet_close(struct sock *sk, long timeout)
{
	(void)timeout;
	sk_common_release(sk);
}

static struct proto stress_inet_proto = {
	.name = "STRESS-INET",
	.obj_size = 2048,
	.close = stress_inet_close,
};

/* IPv6 protos say where their ipv6_pinfo lives, at the object's end. */
static struct proto stress_inet6_proto = {
	.name = "STRESS-INET6",
	.obj_size = 2048,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(2048),
	.close = stress_inet_close,
};

static struct inet_protosw stress_sw4 = {
	.type = SOCK_DGRAM, .protocol = STRESS_PROTO4,
	.prot = &stress_inet_proto, .ops = &inet_dgram_ops,
};

static struct inet_protosw stress_sw6 = {
	.type = SOCK_DGRAM, .protocol = STRESS_PROTO6,
	.prot = &stress_inet6_proto, .ops = &inet6_dgram_ops,
};

/* ---- what each creation may answer ---------------------------------------- */

struct kind {
	int family, type, protocol;
	int allowed[4];		/* errnos it may give besides success */
};

static const struct kind kinds[] = {
	{ AF_INET, SOCK_STREAM, 0, { 0 } },
	{ AF_INET, SOCK_DGRAM, 0, { 0 } },
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP, { EACCES } },
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP, { EPERM } },
	/* loading and unloading under us: absent for a moment */
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, { EPROTONOSUPPORT } },
	{ AF_INET, SOCK_STREAM, IPPROTO_MPTCP, { 0 } },
	{ AF_INET, SOCK_DGRAM, STRESS_PROTO4, { EPROTONOSUPPORT } },
	{ AF_INET6, SOCK_STREAM, 0, { 0 } },
	{ AF_INET6, SOCK_DGRAM, 0, { 0 } },
	{ AF_INET6, SOCK_RAW, IPPROTO_RAW, { EPERM } },
	{ AF_INET6, SOCK_DGRAM, STRESS_PROTO6, { EPROTONOSUPPORT } },
	{ AF_UNIX, SOCK_STREAM, 0, { 0 } },
	{ AF_UNIX, SOCK_DGRAM, 0, { 0 } },
	{ AF_UNIX, SOCK_SEQPACKET, 0, { 0 } },
	{ AF_PACKET, SOCK_DGRAM, 0, { EPERM } },
	{ AF_PACKET, SOCK_RAW, 0x0300, { EPERM } },
	{ AF_NETLINK, SOCK_RAW, 0, { 0 } },
	{ AF_NETLINK, SOCK_DGRAM, 16, { 0 } },
	{ STRESS_FAMILY, SOCK_DGRAM, 0, { EAFNOSUPPORT } },
	/* argument errors, for the mix */
	{ AF_INET, SOCK_DGRAM, IPPROTO_TCP, { EPROTONOSUPPORT, -1 } },
	{ AF_MAX, SOCK_STREAM, 0, { EAFNOSUPPORT, -1 } },
};
#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static bool allowed(const struct kind *k, int r)
{
	if (r >= 0)
		return k->allowed[1] != -1;	/* -1: must fail */
	for (int i = 0; i < 4 && k->allowed[i] > 0; i++)
		if (-r == k->allowed[i])
			return true;
	/* the table is shared and bounded */
	return r == -EMFILE;
}

/* ---- workers ---------------------------------------------------------------- */

struct worker {
	int id;
	uint64_t rnd;
	long ops;
	int mine[FD_SPACE];
	int nr_mine;
	pthread_t thread;
};

static struct files_struct *shared_files;

static void keep(struct worker *w, int fd, bool dup)
{
	__atomic_fetch_add(&sockets_made, 1, __ATOMIC_RELAXED);
	claim(fd, w->id, dup);
	check_unique_sock(fd, w->id, dup);
	if (w->nr_mine < FD_SPACE)
		w->mine[w->nr_mine++] = fd;
}

static void close_one(struct worker *w)
{
	unsigned int i;
	int fd;

	if (!w->nr_mine)
		return;
	i = rnd(&w->rnd, (unsigned int)w->nr_mine);
	fd = w->mine[i];
	w->mine[i] = w->mine[--w->nr_mine];
	release_fd(fd);
}

static void op_create(struct worker *w)
{
	const struct kind *k = &kinds[rnd(&w->rnd, NR_KINDS)];
	int flags = rnd(&w->rnd, 4) == 0 ? SOCK_CLOEXEC | SOCK_NONBLOCK : 0;
	int r = sys_socket(k->family, k->type | flags, k->protocol);

	if (!allowed(k, r))
		failure("socket(%d, %d, %d) = %d", k->family, k->type,
			k->protocol, r);
	if (r >= 0)
		keep(w, r, false);
}

static void op_pair(struct worker *w)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	int sv[2] = { -1, -1 };
	int r = sys_socketpair(AF_UNIX, types[rnd(&w->rnd, 3)], 0, sv);

	if (r == 0) {
		keep(w, sv[0], false);
		keep(w, sv[1], false);
	} else if (r != -EMFILE) {
		failure("socketpair = %d", r);
	}
	r = sys_socketpair(AF_INET, SOCK_STREAM, 0, sv);
	if (r != -EOPNOTSUPP && r != -EMFILE)
		failure("socketpair(AF_INET) = %d", r);
}

static void op_dup(struct worker *w)
{
	int fd, r;

	if (!w->nr_mine)
		return;
	fd = w->mine[rnd(&w->rnd, (unsigned int)w->nr_mine)];
	r = sys_fcntl(fd, rnd(&w->rnd, 2) ? F_DUPFD : F_DUPFD_CLOEXEC,
		      rnd(&w->rnd, 32));
	if (r >= 0)
		keep(w, r, true);
	else if (r != -EMFILE)
		failure("F_DUPFD of owned %d = %d", fd, r);
}

/* On any descriptor number: it may be opening or closing in another
 * thread, so EBADF is always a possible answer; nothing else is. */
static void op_poke(struct worker *w)
{
	int fd = (int)rnd(&w->rnd, 64) - 2;	/* some negative */
	int r, v = -1;
	socklen_t len = sizeof(v);
	struct socket *sock;

	switch (rnd(&w->rnd, 6)) {
	case 0:
		r = sys_fcntl(fd, F_GETFL, 0);
		if (r < 0 ? r != -EBADF : !(r & O_RDWR))
			failure("F_GETFL(%d) = %#x", fd, r);
		break;
	case 1:
		r = sys_fcntl(fd, F_SETFL, rnd(&w->rnd, 2) ? O_NONBLOCK : 0);
		if (r != 0 && r != -EBADF)
			failure("F_SETFL(%d) = %d", fd, r);
		break;
	case 2:
		r = sys_fcntl(fd, F_GETFD, 0);
		if (r != 0 && r != FD_CLOEXEC && r != -EBADF)
			failure("F_GETFD(%d) = %d", fd, r);
		break;
	case 3:
		r = sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len);
		if (r == 0 ? v < SOCK_STREAM || v > SOCK_PACKET ||
			     len != sizeof(v) : r != -EBADF)
			failure("SO_TYPE(%d) = %d, %d", fd, r, v);
		break;
	case 4:
		r = sys_getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len);
		if (r == 0 ? v <= 0 || v >= AF_MAX : r != -EBADF)
			failure("SO_DOMAIN(%d) = %d, %d", fd, r, v);
		break;
	default:
		sock = sockfd_lookup(fd, &r);
		if (sock) {
			if (!sock->file || sock->type < SOCK_STREAM ||
			    sock->type > SOCK_PACKET)
				failure("sockfd_lookup(%d): bad socket", fd);
			sockfd_put(sock);
		} else if (r != -EBADF) {
			failure("sockfd_lookup(%d) = %d", fd, r);
		}
		break;
	}
}

/* Own credentials: drop or regain CAP_NET_RAW (raw and packet sockets
 * then answer EPERM), or become nobody (ping answers EACCES). */
static void op_cred(struct worker *w)
{
	struct cred c;

	sockcore_cred_get(&c);
	switch (rnd(&w->rnd, 3)) {
	case 0:
		c.cap_effective &= ~(UINT64_C(1) << CAP_NET_RAW);
		break;
	case 1:
		c.cap_effective |= UINT64_C(1) << CAP_NET_RAW;
		break;
	default:
		c.euid = c.egid = c.gid = 65534;
		break;
	}
	sockcore_cred_set(&c);
}

/* A namespace of our own for a few sockets, then destroyed (with the last
 * socket's close, since sockets pin it). */
static void op_netns(struct worker *w)
{
	struct net *net = net_create();
	int fd;

	if (!net) {
		failure("net_create failed");
		return;
	}
	net->sysctl.ping_group_range[1] = rnd(&w->rnd, 2) ? 0x7fffffff : 0;
	sockcore_switch_net(net);
	put_net(net);		/* the thread and the sockets hold it */
	for (int i = 0; i < 3; i++) {
		const struct kind *k = &kinds[rnd(&w->rnd, NR_KINDS)];

		fd = sys_socket(k->family, k->type, k->protocol);
		if (!allowed(k, fd))
			failure("in a new namespace: socket(%d, %d, %d) = %d",
				k->family, k->type, k->protocol, fd);
		if (fd >= 0)
			keep(w, fd, false);	/* outlives the switch back */
	}
	sockcore_switch_net(NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double t_start;

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	sockcore_switch_files(shared_files);
	for (w->ops = 0; w->ops < ops_per_worker; w->ops++) {
		if ((w->ops & 63) == 0 && now_s() - t_start > seconds_bound)
			break;
		switch (rnd(&w->rnd, 20)) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			op_create(w);
			break;
		case 6: case 7: case 8: case 9: case 10:
			close_one(w);
			break;
		case 11:
			op_pair(w);
			break;
		case 12:
			op_dup(w);
			break;
		case 13: case 14: case 15: case 16:
			op_poke(w);
			break;
		case 17:
			op_cred(w);
			break;
		case 18:
			if (rnd(&w->rnd, 8) == 0)
				op_netns(w);
			break;
		default:
			/* keep the table from filling: close down to 32 */
			while (w->nr_mine > 32)
				close_one(w);
			break;
		}
	}
	while (w->nr_mine)
		close_one(w);
	__atomic_fetch_add(&total_ops, (unsigned long)w->ops, __ATOMIC_RELAXED);
	sockcore_switch_files(NULL);
	sockcore_switch_net(NULL);
	return NULL;
}

/* ---- the churn threads ----------------------------------------------------------- */

/*
 * The churn threads pause between changes: each change waits for an RCU
 * grace period, and unthrottled they only pile up deferred frees (every
 * namespace's cleanup runs from the RCU callback thread) and starve the
 * workers on the unfair module_mutex, which measures nothing.
 */
static void churn_pause(void)
{
	sc_sleep_ms(1);
}

static void *family_churn(void *arg)
{
	uint64_t r = stream_seed(100);
	int err;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		err = sock_register(&stress_family);
		if (err)
			failure("sock_register = %d", err);
		if (rnd(&r, 2))
			sched_yield();
		sock_unregister(STRESS_FAMILY);
		__atomic_fetch_add(&churn_ops, 1, __ATOMIC_RELAXED);
		churn_pause();
	}
	return NULL;
}

static void *protosw_churn(void *arg)
{
	uint64_t r = stream_seed(101);
	int err;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		err = inet_register_protosw(&stress_sw4);
		if (!err)
			err = inet6_register_protosw(&stress_sw6);
		if (err)
			failure("register protosw = %d", err);
		if (rnd(&r, 2))
			sched_yield();
		if (inet_unregister_protosw(&stress_sw4) ||
		    inet6_unregister_protosw(&stress_sw6))
			failure("unregister protosw");
		__atomic_fetch_add(&churn_ops, 1, __ATOMIC_RELAXED);
		churn_pause();
	}
	return NULL;
}

static unsigned long unload_ok, unload_busy;

static void *module_churn(void *arg)
{
	int err;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		err = sockcore_module_load("udplite");
		if (err && err != -EEXIST)
			failure("load udplite = %d", err);
		err = sockcore_module_unload("udplite");
		if (err == 0)
			unload_ok++;
		else if (err == -EBUSY)
			unload_busy++;
		else if (err != -ENOENT)
			failure("unload udplite = %d", err);
		__atomic_fetch_add(&churn_ops, 1, __ATOMIC_RELAXED);
		/* module_mutex is not fair: let the workers' request_module()
		 * in, or they starve behind our load/unload loop */
		churn_pause();
		churn_pause();
	}
	return NULL;
}

static void *netns_churn(void *arg)
{
	struct net *net;
	int fd;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		net = net_create();
		if (!net) {
			failure("net_create failed");
			continue;
		}
		sockcore_switch_net(net);
		fd = sys_socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
		if (fd < 0)
			failure("raw socket in a new namespace: %d", fd);
		else
			sys_close(fd);
		sockcore_switch_net(NULL);
		put_net(net);
		__atomic_fetch_add(&churn_ops, 1, __ATOMIC_RELAXED);
		churn_pause();
	}
	return NULL;
}

/* ---- the test ----------------------------------------------------------------------- */

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

static void test_stress(void **state)
{
	static struct worker w[WORKERS];
	static struct sc_snap before;
	void *(*churn[])(void *) = {
		family_churn, protosw_churn, module_churn, netns_churn,
	};
	pthread_t ct[sizeof(churn) / sizeof(churn[0])];
	size_t i;
	struct cred c;

	(void)state;
	seed = (unsigned long)env_long("SOCKCORE_STRESS_SEED",
				       (long)(time(NULL) ^ getpid()));
	ops_per_worker = env_long("SOCKCORE_STRESS_OPS", SC_SANITIZED ? 100000 : 300000);
	seconds_bound = (double)env_long("SOCKCORE_STRESS_SECONDS",
					 SC_SANITIZED ? 25 : 20);
	printf("stress: seed %lu (SOCKCORE_STRESS_SEED=%lu reproduces), "
	       "%d workers x %ld operations, %.0f s bound\n",
	       seed, seed, WORKERS, ops_per_worker, seconds_bound);

	assert_int_equal(sockcore_init(), 0);
	/* act as a privileged caller: raw and packet sockets allowed */
	sockcore_cred_get(&c);
	c.cap_effective |= UINT64_C(1) << CAP_NET_RAW;
	sockcore_cred_set(&c);
	/* udplite and mptcp loaded once, so their caches exist before */
	assert_true(sockcore_module_load("mptcp") == 0 ||
		    sockcore_module_load("mptcp") == -EEXIST);
	{
		int r = sockcore_module_unload("udplite");

		assert_true(r == 0 || r == -ENOENT);
	}
	assert_int_equal(proto_register(&stress_proto, 1), 0);
	assert_int_equal(proto_register(&stress_inet_proto, 1), 0);
	assert_int_equal(proto_register(&stress_inet6_proto, 1), 0);
	sc_snap_quiescent(&before);
	shared_files = files_create(FD_SPACE);
	assert_non_null(shared_files);

	t_start = now_s();
	for (i = 0; i < WORKERS; i++) {
		w[i].id = (int)i;
		w[i].rnd = stream_seed((unsigned int)i);
		assert_int_equal(pthread_create(&w[i].thread, NULL, worker_main,
						&w[i]), 0);
	}
	for (i = 0; i < sizeof(churn) / sizeof(churn[0]); i++)
		assert_int_equal(pthread_create(&ct[i], NULL, churn[i], NULL), 0);
	for (i = 0; i < WORKERS; i++)
		assert_int_equal(pthread_join(w[i].thread, NULL), 0);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < sizeof(churn) / sizeof(churn[0]); i++)
		assert_int_equal(pthread_join(ct[i], NULL), 0);

	printf("stress: %d workers x %lu operations done (%lu in all) in "
	       "%.1f s (%lu descriptors made); %lu family/protosw/module/"
	       "netns changes, udplite unloaded %lu times, busy %lu times\n",
	       WORKERS, total_ops / WORKERS, total_ops, now_s() - t_start,
	       sockets_made, churn_ops, unload_ok, unload_busy);

	/* nothing left: every descriptor closed, every count as before */
	assert_int_equal(files_count(shared_files), 0);
	/* as at the start: UDP-Lite unloaded (nothing may still hold it) */
	{
		int r = sockcore_module_unload("udplite");

		if (r != 0 && r != -ENOENT)
			failure("udplite still busy at the end: %d", r);
	}
	files_put(shared_files);
	if (!sc_snap_settle_equal(&before, "stress"))
		failure("counters not back to their start");
	proto_unregister(&stress_inet6_proto);
	proto_unregister(&stress_inet_proto);
	proto_unregister(&stress_proto);
	assert_int_equal(sockcore_cred_refresh(), 0);
	if (failures)
		fail_msg("%d failures (seed %lu)", failures, seed);
	printf("stress: no descriptor or socket handed out twice, all "
	       "counters restored\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress),
	};
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sockcore_shutdown();
	return rc;
}
