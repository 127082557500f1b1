/* SPDX-License-Identifier: MIT */
/*
 * bench_create - sys_socket()+sys_close() against the kernel's
 * socket(2)+close(2), in the same run, rounds interleaved.
 *
 *   create/<triple>    one socket created and closed, for every family and
 *                      type that succeeds as root (both ping flavours with a
 *                      ping_group_range covering root: init_net's sysctl for
 *                      libsockcore, a private network namespace of the
 *                      kernel's for socket(2)); UDP-Lite and MPTCP through
 *                      their modules. ratio = kernel ns / sockcore ns.
 *   growth/<N>         inet/tcp: N sockets created, then all closed (the
 *                      descriptor table grows to N); ns per socket. The
 *                      kernel only where RLIMIT_NOFILE allows N.
 *   threads/<T>        inet/tcp create+close on T threads: one shared
 *                      descriptor table, a table per thread
 *                      (sockcore_switch_files(files_create(0))), and the
 *                      kernel's (one table). ns/op is wall time over all
 *                      operations; the ratio is the aggregate throughput
 *                      over one thread's, per round. "<mode> CPUs" rows:
 *                      the threads' CPU time over wall time, i.e. how many
 *                      CPUs they really had on a shared machine.
 *   churn/inet-udp     creation while another thread registers and
 *                      unregisters a protocol-switch entry, loads and
 *                      unloads the udplite module, or both; against
 *                      creation alone (ratio = churn ns / quiet ns).
 *   trace/<triple>     tracing compiled in but off (the default) against on
 *                      with a callback that does nothing; tracepoints/<..>
 *                      counts the tracepoints one create+close passes.
 *
 * usage: bench_create [--quick] [--json | --csv] [--rounds N] [--filter S]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include <sockcore/sockcore.h>

#include "bench_common.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP	262
#endif

struct triple {
	const char *name;
	int family, type, protocol;
	bool ping;		/* needs ping_group_range to cover root */
};

static const struct triple triples[] = {
	{ "inet-tcp", AF_INET, SOCK_STREAM, 0, false },
	{ "inet-udp", AF_INET, SOCK_DGRAM, 0, false },
	{ "inet-raw", AF_INET, SOCK_RAW, IPPROTO_ICMP, false },
	{ "inet-ping", AF_INET, SOCK_DGRAM, IPPROTO_ICMP, true },
	{ "inet-udplite", AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, false },
	{ "inet-mptcp", AF_INET, SOCK_STREAM, IPPROTO_MPTCP, false },
	{ "inet6-tcp", AF_INET6, SOCK_STREAM, 0, false },
	{ "inet6-udp", AF_INET6, SOCK_DGRAM, 0, false },
	{ "inet6-raw", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, false },
	{ "inet6-ping", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, true },
	{ "inet6-udplite", AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE, false },
	{ "inet6-mptcp", AF_INET6, SOCK_STREAM, IPPROTO_MPTCP, false },
	{ "unix-stream", AF_UNIX, SOCK_STREAM, 0, false },
	{ "unix-dgram", AF_UNIX, SOCK_DGRAM, 0, false },
	{ "unix-seqpacket", AF_UNIX, SOCK_SEQPACKET, 0, false },
	{ "packet-dgram", AF_PACKET, SOCK_DGRAM, 0, false },
	{ "packet-raw", AF_PACKET, SOCK_RAW, 0, false },
	{ "netlink-route", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, false },
	{ "netlink-generic", AF_NETLINK, SOCK_RAW, NETLINK_GENERIC, false },
};

#define NR_TRIPLES	(sizeof(triples) / sizeof(triples[0]))
#define TCP		(&triples[0])
#define UDP		(&triples[1])

static struct bench_opts opts;

/* ---- the kernel's ping sockets: a network namespace of our own -------- */

static int host_ns = -1, ping_ns = -1;	/* namespace descriptors */

/* A network namespace whose ping_group_range covers root, entered only
 * around the kernel's ping measurements (setns is per thread). */
static void kernel_ping_ns_setup(void)
{
	int fd;

	host_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (host_ns < 0 || unshare(CLONE_NEWNET))
		goto fail;
	fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY);
	if (fd < 0 || write(fd, "0 0", 3) != 3)
		goto fail_back;
	close(fd);
	ping_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
fail_back:
	if (setns(host_ns, CLONE_NEWNET))
		perror("bench_create: setns back to the host namespace");
	if (ping_ns >= 0)
		return;
fail:
	fprintf(stderr, "bench_create: no namespace for the kernel's ping "
		"sockets (%s)\n", strerror(errno));
}

static void kernel_enter(const struct triple *t)
{
	if (t->ping && ping_ns >= 0)
		setns(ping_ns, CLONE_NEWNET);
}

static void kernel_leave(const struct triple *t)
{
	if (t->ping && ping_ns >= 0)
		setns(host_ns, CLONE_NEWNET);
}

/* ---- create+close loops ------------------------------------------------ */

static int *fds;	/* the growth scenario's descriptors */

/*
 * The timed loops, instantiated for libsockcore and for the kernel so that
 * each calls its own functions directly: @tag_loop creates and closes one
 * socket @n times, @tag_growth creates @n sockets, then closes them all.
 * ns per socket. The kernel's run inside kernel_enter/leave (its ping
 * sockets need our namespace).
 */
#define DEFINE_LOOPS(tag, SOCKET, CLOSE)				\
static double tag##_loop(const struct triple *t, long n)		\
{									\
	uint64_t t0;							\
	long i;								\
									\
	tag##_enter(t);							\
	t0 = bench_now_ns();						\
	for (i = 0; i < n; i++)						\
		CLOSE(SOCKET(t->family, t->type, t->protocol));		\
	t0 = bench_now_ns() - t0;					\
	tag##_leave(t);							\
	return (double)t0 / n;						\
}									\
									\
static double tag##_growth(const struct triple *t, long n)		\
{									\
	uint64_t t0;							\
	long i;								\
									\
	tag##_enter(t);							\
	t0 = bench_now_ns();						\
	for (i = 0; i < n; i++)						\
		fds[i] = SOCKET(t->family, t->type, t->protocol);	\
	for (i = 0; i < n; i++)						\
		CLOSE(fds[i]);						\
	t0 = bench_now_ns() - t0;					\
	tag##_leave(t);							\
	return (double)t0 / n;						\
}

static inline void sc_enter(const struct triple *t)
{
	(void)t;
}

static inline void sc_leave(const struct triple *t)
{
	(void)t;
}

DEFINE_LOOPS(sc, sys_socket, sys_close)
DEFINE_LOOPS(kernel, socket, close)

/* Operations that take about @ms milliseconds at @ns_per_op. */
static long ops_for(double ns_per_op, double ms)
{
	long n = (long)(ms * 1e6 / (ns_per_op > 1 ? ns_per_op : 1));

	return n < 16 ? 16 : n;
}

/* Warm up with @loop (not counted) and return the operations that take
 * about @ms milliseconds: doubling from 8 until a run takes @ms / 4, so
 * that slow triples (AF_PACKET's close waits for an RCU grace period in
 * the kernel) do not spend seconds warming up. */
static long calibrate(double (*loop)(const struct triple *t, long n),
		const struct triple *t, double ms)
{
	double ns;
	long n = 8;

	for (;;) {
		ns = loop(t, n);
		if (ns * n >= ms * 1e6 / 4 || n >= 4096)
			return ops_for(ns, ms);
		n *= 2;
	}
}

static int sc_probe(const struct triple *t)
{
	int fd = sys_socket(t->family, t->type, t->protocol);

	if (fd < 0)
		return fd;
	sys_close(fd);
	return 0;
}

static int kernel_probe(const struct triple *t)
{
	int fd, err = 0;

	kernel_enter(t);
	fd = socket(t->family, t->type, t->protocol);
	if (fd < 0)
		err = -errno;
	else
		close(fd);
	kernel_leave(t);
	return err;
}

static const char *const sk_names[2] = { "sockcore", "kernel" };

/* Returns the median kernel/sockcore ratio (0 when not measured). */
static double run_create(const struct triple *t)
{
	double v[2 * BENCH_MAX_ROUNDS];
	struct bench_summary r[2], s;
	long nsc, nk;
	char test[64];
	int k, err, kerr;

	snprintf(test, sizeof(test), "create/%s", t->name);
	if (!bench_wanted(&opts, test))
		return 0;
	err = sc_probe(t);
	kerr = kernel_probe(t);
	if (err) {
		fprintf(stderr, "bench_create: %s: sys_socket: %s; skipped\n",
			t->name, strerror(-err));
		return 0;
	}
	/* warm-up (not counted), and the counts for about 5 ms (sockcore)
	 * and 15 ms (kernel) per round; a fifth of that for --quick */
	nsc = calibrate(sc_loop, t, opts.quick ? 1 : 5);
	if (kerr) {
		fprintf(stderr, "bench_create: %s: socket(2): %s; sockcore "
			"alone\n", t->name, strerror(-kerr));
		for (k = 0; k < opts.rounds; k++) {
			bench_progress(&opts, "%s round %d/%d", test, k + 1,
				       opts.rounds);
			v[k] = sc_loop(t, nsc);
		}
		bench_summarize(v, opts.rounds, &s);
		bench_report(stdout, &opts, test, "sockcore", "ns/op", &s,
			     NULL, NULL);
		return 0;
	}
	nk = calibrate(kernel_loop, t, opts.quick ? 3 : 15);
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "%s round %d/%d", test, k + 1,
			       opts.rounds);
		v[k] = sc_loop(t, nsc);
		v[BENCH_MAX_ROUNDS + k] = kernel_loop(t, nk);
	}
	bench_compare(&opts, test, sk_names, 2, 0, "ns/op", v, opts.rounds,
		      r);
	return r[1].median;
}

/* ---- table growth: N sockets, then all closed -------------------------- */

static unsigned long nofile;	/* RLIMIT_NOFILE: caps the kernel's N */

static void run_growth(const struct triple *t, long n)
{
	double v[2 * BENCH_MAX_ROUNDS];
	struct bench_summary s;
	bool kernel = (unsigned long)n + 64 <= nofile;
	char test[64];
	int k;

	snprintf(test, sizeof(test), "growth/%ld", n);
	if (!bench_wanted(&opts, test))
		return;
	if (!kernel)
		fprintf(stderr, "bench_create: %s: RLIMIT_NOFILE is %lu (no "
			"CAP_SYS_RESOURCE to raise it): sockcore alone\n",
			test, nofile);
	sc_growth(t, n);
	if (kernel)
		kernel_growth(t, n);
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "%s round %d/%d", test, k + 1,
			       opts.rounds);
		v[k] = sc_growth(t, n);
		if (kernel)
			v[BENCH_MAX_ROUNDS + k] = kernel_growth(t, n);
	}
	if (kernel) {
		bench_compare(&opts, test, sk_names, 2, 0, "ns/op", v,
			      opts.rounds, NULL);
		return;
	}
	bench_summarize(v, opts.rounds, &s);
	bench_report(stdout, &opts, test, "sockcore", "ns/op", &s, NULL,
		     NULL);
}

/* ---- threads ----------------------------------------------------------- */

enum thr_mode { SC_SHARED, SC_SEPARATE, KERNEL, NR_MODES };

static const char *const mode_name[NR_MODES] = {
	"sockcore-shared", "sockcore-separate", "kernel",
};

struct thr {
	pthread_barrier_t *start;
	enum thr_mode mode;
	long n;
	uint64_t t0, t1;	/* this thread's first and last op */
	uint64_t cpu;		/* its CPU time over them */
};

static void *thr_fn(void *arg)
{
	struct thr *th = arg;
	struct files_struct *files = NULL;

	if (th->mode == SC_SEPARATE) {
		files = files_create(0);
		sockcore_switch_files(files);
		files_put(files);	/* the thread holds its own reference */
	}
	pthread_barrier_wait(th->start);
	th->t0 = bench_now_ns();
	th->cpu = bench_thread_cpu_ns();
	if (th->mode == KERNEL)
		kernel_loop(TCP, th->n);
	else
		sc_loop(TCP, th->n);
	th->cpu = bench_thread_cpu_ns() - th->cpu;
	th->t1 = bench_now_ns();
	if (files)
		sockcore_switch_files(NULL);
	return NULL;
}

/* Wall ns per operation, @nthr threads doing @n operations each: from the
 * first thread's start to the last thread's end (timed by the threads, as
 * the main thread may not run again before they finish). @par gets the
 * threads' CPU time over that wall time: how many CPUs they really had
 * (2.0: both threads ran all along; less: the machine was busy). */
static double thr_run(enum thr_mode mode, int nthr, long n, double *par)
{
	uint64_t cpu = 0;
	pthread_barrier_t start;
	struct thr th[2];
	pthread_t t[2];
	uint64_t t0 = UINT64_MAX, t1 = 0;
	int i;

	pthread_barrier_init(&start, NULL, nthr);
	for (i = 0; i < nthr; i++) {
		th[i] = (struct thr){ &start, mode, n, 0, 0, 0 };
		pthread_create(&t[i], NULL, thr_fn, &th[i]);
	}
	for (i = 0; i < nthr; i++) {
		pthread_join(t[i], NULL);
		if (th[i].t0 < t0)
			t0 = th[i].t0;
		if (th[i].t1 > t1)
			t1 = th[i].t1;
		cpu += th[i].cpu;
	}
	pthread_barrier_destroy(&start);
	if (par)
		*par = (double)cpu / (t1 - t0);
	return (double)(t1 - t0) / ((double)n * nthr);
}

static double run_threads(void)
{
	/* [mode][threads-1][round]: wall ns per operation, CPUs used */
	static double v[NR_MODES][2][BENCH_MAX_ROUNDS];
	static double par[NR_MODES][2][BENCH_MAX_ROUNDS];
	double scale[BENCH_MAX_ROUNDS], tmp[BENCH_MAX_ROUNDS];
	struct bench_summary s, r, shared = { 0 };
	long n[NR_MODES];
	char test[32], subject[48];
	int m, k, t;

	if (!bench_wanted(&opts, "threads/1") &&
	    !bench_wanted(&opts, "threads/2"))
		return 0;
	for (m = 0; m < NR_MODES; m++) {
		n[m] = ops_for(thr_run(m, 1, 2000, NULL), opts.quick ? 3 : 25);
		thr_run(m, 2, n[m] / 4, NULL);
	}
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "threads round %d/%d", k + 1,
			       opts.rounds);
		for (m = 0; m < NR_MODES; m++)
			for (t = 0; t < 2; t++)
				v[m][t][k] = thr_run(m, t + 1, n[m],
						     &par[m][t][k]);
	}
	for (t = 0; t < 2; t++) {
		snprintf(test, sizeof(test), "threads/%d", t + 1);
		for (m = 0; m < NR_MODES; m++) {
			for (k = 0; k < opts.rounds; k++) {
				tmp[k] = v[m][t][k];
				scale[k] = v[m][0][k] / v[m][t][k];
			}
			bench_summarize(tmp, opts.rounds, &s);
			bench_summarize(scale, opts.rounds, &r);
			bench_report(stdout, &opts, test, mode_name[m],
				     "ns/op", &s, "1 thread", &r);
			if (t == 1 && m == SC_SHARED)
				shared = r;
		}
		for (m = 0; m < NR_MODES; m++) {
			snprintf(subject, sizeof(subject), "%s CPUs",
				 mode_name[m]);
			bench_summarize(par[m][t], opts.rounds, &s);
			bench_report(stdout, &opts, test, subject, "CPUs", &s,
				     NULL, NULL);
		}
	}
	return shared.median;
}

/* ---- creation during protocol-switch and module churn ----------------- */

#define CHURN_PROTO	253	/* IPPROTO for experimentation (RFC 3692) */

static void churn_close(struct sock *sk, long timeout)
{
	(void)timeout;
	sk_common_release(sk);
}

static void churn_unhash(struct sock *sk)
{
	(void)sk;
}

static struct proto churn_prot = {
	.name = "BENCH_CHURN",
	.obj_size = sizeof(struct inet_sock),
	.close = churn_close,
	.unhash = churn_unhash,
};

static struct inet_protosw churn_sw = {
	.type = SOCK_DGRAM,
	.protocol = CHURN_PROTO,
	.prot = &churn_prot,
	.ops = &inet_dgram_ops,
};

static int churn_stop;			/* atomic */
static unsigned long churn_cycles;	/* atomic */

enum churn { CHURN_PROTOSW = 1, CHURN_MODULE = 2 };

/* One cycle: register and unregister the protocol-switch entry (the
 * unregister waits for a grace period), and/or load and unload udplite
 * (dlopen, init, exit, grace period, rcu_barrier, dlclose). */
static void *churn_fn(void *arg)
{
	int what = (int)(long)arg;

	while (!__atomic_load_n(&churn_stop, __ATOMIC_ACQUIRE)) {
		if (what & CHURN_PROTOSW) {
			inet_register_protosw(&churn_sw);
			inet_unregister_protosw(&churn_sw);
		}
		if (what & CHURN_MODULE) {
			sockcore_module_load("udplite");
			sockcore_module_unload("udplite");
		}
		__atomic_fetch_add(&churn_cycles, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Creation while a churn thread runs; @cycles_s gets the churn thread's
 * cycles per second over its whole life (a module cycle can take longer
 * than the timed window). */
static double churn_run(const struct triple *t, long n, int what,
		double *cycles_s)
{
	unsigned long c0 = __atomic_load_n(&churn_cycles, __ATOMIC_ACQUIRE);
	uint64_t t0 = bench_now_ns();
	pthread_t th;
	double ns;

	__atomic_store_n(&churn_stop, 0, __ATOMIC_RELEASE);
	pthread_create(&th, NULL, churn_fn, (void *)(long)what);
	ns = sc_loop(t, n);
	__atomic_store_n(&churn_stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	*cycles_s = (double)(__atomic_load_n(&churn_cycles, __ATOMIC_ACQUIRE)
			     - c0) / ((bench_now_ns() - t0) * 1e-9);
	return ns;
}

static void run_churn(const struct triple *t)
{
	static const char *const names[4] = {
		"quiet", "protosw-churn", "module-churn", "both-churn",
	};
	static double v[4 * BENCH_MAX_ROUNDS], cyc[3][BENCH_MAX_ROUNDS];
	struct bench_summary s;
	char test[64];
	long n;
	int k, w;

	snprintf(test, sizeof(test), "churn/%s", t->name);
	if (!bench_wanted(&opts, test))
		return;
	if (proto_register(&churn_prot, 1)) {
		fprintf(stderr, "bench_create: proto_register failed\n");
		return;
	}
	sockcore_module_unload("udplite6");	/* loaded by create/ */
	sockcore_module_unload("udplite");
	n = calibrate(sc_loop, t, opts.quick ? 3 : 25);
	churn_run(t, n / 4, CHURN_PROTOSW | CHURN_MODULE, &cyc[0][0]);
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "%s round %d/%d", test, k + 1,
			       opts.rounds);
		v[k] = sc_loop(t, n);
		for (w = 1; w <= 3; w++)
			v[w * BENCH_MAX_ROUNDS + k] =
				churn_run(t, n, w, &cyc[w - 1][k]);
	}
	bench_compare(&opts, test, names, 4, 0, "ns/op", v, opts.rounds,
		      NULL);
	for (w = 1; w <= 3; w++) {
		char subject[32];

		snprintf(subject, sizeof(subject), "%s cycles", names[w]);
		bench_summarize(cyc[w - 1], opts.rounds, &s);
		bench_report(stdout, &opts, test, subject, "cycles/s", &s,
			     NULL, NULL);
	}
	proto_unregister(&churn_prot);
}

/* ---- tracing off and on ------------------------------------------------ */

static void trace_nop(const struct sockcore_trace_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static void trace_count(const struct sockcore_trace_event *ev, void *arg)
{
	if (!ev->exit)
		++*(unsigned long *)arg;
}

static double trace_on_loop(const struct triple *t, long n)
{
	double ns;

	sockcore_trace_set(trace_nop, NULL);
	ns = sc_loop(t, n);
	sockcore_trace_set(NULL, NULL);
	return ns;
}

static void run_trace(const struct triple *t)
{
	static const char *const names[2] = { "trace-off", "trace-on-nop" };
	double v[2 * BENCH_MAX_ROUNDS], d[BENCH_MAX_ROUNDS];
	unsigned long events = 0;
	struct bench_summary s;
	double tp;
	char test[64];
	long n;
	int k;

	snprintf(test, sizeof(test), "trace/%s", t->name);
	if (!bench_wanted(&opts, test))
		return;
	sockcore_trace_set(trace_count, &events);
	sc_loop(t, 1000);
	sockcore_trace_set(NULL, NULL);
	tp = events / 1000.0;
	snprintf(test, sizeof(test), "tracepoints/%s", t->name);
	s.median = s.min = s.max = tp;
	bench_report(stdout, &opts, test, "per create+close", "count", &s,
		     NULL, NULL);

	snprintf(test, sizeof(test), "trace/%s", t->name);
	n = calibrate(sc_loop, t, opts.quick ? 1 : 10);
	trace_on_loop(t, n / 4);
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "%s round %d/%d", test, k + 1,
			       opts.rounds);
		v[k] = sc_loop(t, n);
		v[BENCH_MAX_ROUNDS + k] = trace_on_loop(t, n);
		d[k] = (v[BENCH_MAX_ROUNDS + k] - v[k]) / (tp > 0 ? tp : 1);
	}
	bench_compare(&opts, test, names, 2, 0, "ns/op", v, opts.rounds,
		      NULL);
	bench_summarize(d, opts.rounds, &s);
	bench_report(stdout, &opts, test, "on-off/tracepoint", "ns", &s,
		     NULL, NULL);
}

int main(int argc, char **argv)
{
	static const long growth_n[] = { 1000, 10000, 100000 };
	double ratio[NR_TRIPLES], scale;	/* 0: not measured */
	long max_n;
	size_t i;

	if (bench_parse_args(argc, argv, &opts, 11))
		return 2;
	max_n = opts.quick ? growth_n[1] : growth_n[2];
	/* the kernel's N is capped by RLIMIT_NOFILE (raised as far as this
	 * process may); libsockcore's table gets its own limit */
	nofile = bench_raise_nofile(max_n + 1024);
	sockcore_init();	/* files_default() is NULL before first use */
	files_set_limit(files_default(), max_n + 1024);
	if (sockcore_get_file_max() < (unsigned long)max_n * 2 + 1024)
		sockcore_set_file_max(max_n * 2 + 1024);
	fds = calloc(max_n, sizeof(*fds));
	init_net.sysctl.ping_group_range[0] = 0;
	init_net.sysctl.ping_group_range[1] = 0;
	kernel_ping_ns_setup();

	bench_report_header(stdout, &opts);
	bench_env(&opts, "start");
	for (i = 0; i < NR_TRIPLES; i++)
		ratio[i] = run_create(&triples[i]);
	for (i = 0; i < sizeof(growth_n) / sizeof(growth_n[0]); i++)
		if (growth_n[i] <= max_n)
			run_growth(TCP, growth_n[i]);
	scale = run_threads();
	run_churn(UDP);
	run_trace(TCP);
	run_trace(UDP);
	bench_env(&opts, "end");

	if (!opts.json && !opts.csv)
		printf("\n");
	for (i = 0; i < NR_TRIPLES; i++) {
		char what[64];

		if (!ratio[i])
			continue;
		snprintf(what, sizeof(what), "create/%s: kernel ns / sockcore ns",
			 triples[i].name);
		bench_verdict(&opts, what, ratio[i], 50);
	}
	bench_verdict(&opts, "threads/2: sockcore-shared aggregate 2t/1t",
		      scale, 1.6);
	free(fds);
	return 0;
}
