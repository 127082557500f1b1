/* SPDX-License-Identifier: MIT */
/*
 * bench_slab - kmem_cache against jemalloc and glibc malloc.
 *
 * Workloads, on 2 KiB objects and the kernel's proto object sizes:
 *   pairs     alloc+free, one object at a time
 *   burst     256 allocations, then 256 frees
 *   prodcons  one thread allocates, another frees, through a ring
 *   2threads  two threads doing bursts independently: aggregate
 *             throughput against one thread alone
 *   rss       one million live 2304-byte objects: resident bytes per
 *             object byte
 *
 * jemalloc is reached through dlopen("libjemalloc.so.2") + dlsym, so this
 * process's own malloc stays glibc's; "jemalloc" is its malloc/free and
 * "je-mallocx" its mallocx/sdallocx (sized free, the fastest path it has).
 * Rounds are interleaved (every contender once per round) and ratios are
 * taken per round: ratio = contender ns / kmem_cache ns, i.e. how many
 * times faster kmem_cache was in that round.
 *
 * usage: bench_slab [--quick] [--json] [--rounds N]
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <sockcore/slab.h>

#include "bench_common.h"

enum impl { KMEM, JE_MALLOC, JE_MALLOCX, GLIBC, NR_IMPL };

static const char *const impl_name[NR_IMPL] = {
	"kmem_cache", "jemalloc", "je-mallocx", "glibc",
};

static void *(*je_malloc)(size_t);
static void (*je_free)(void *);
static void *(*je_mallocx)(size_t, int);
static void (*je_sdallocx)(void *, size_t, int);

struct ctx {
	struct kmem_cache *cache;
	size_t size;
	long n;			/* operations per measurement */
};

#define BURST	256

/* The loops, instantiated per allocator so that each calls its own
 * functions directly. Results in ns per alloc+free. */
#define DEFINE_LOOPS(tag, ALLOC, FREE)					\
static double tag##_pairs(struct ctx *x)				\
{									\
	uint64_t t = bench_now_ns();					\
	long i;								\
									\
	for (i = 0; i < x->n; i++) {					\
		void *p = ALLOC;					\
		bench_use(p);						\
		FREE(p);						\
	}								\
	return (double)(bench_now_ns() - t) / x->n;			\
}									\
									\
static double tag##_burst(struct ctx *x)				\
{									\
	uint64_t t = bench_now_ns();					\
	void *p[BURST];							\
	long r;								\
	int i;								\
									\
	for (r = 0; r < x->n / BURST; r++) {				\
		for (i = 0; i < BURST; i++)				\
			p[i] = ALLOC;					\
		bench_use(p);						\
		for (i = 0; i < BURST; i++)				\
			FREE(p[i]);					\
	}								\
	return (double)(bench_now_ns() - t) / (x->n / BURST * BURST);	\
}

#define KMEM_ALLOC	kmem_cache_alloc(x->cache, GFP_KERNEL)
#define KMEM_FREE(p)	kmem_cache_free(x->cache, p)
#define JE_ALLOC	je_malloc(x->size)
#define JE_FREE(p)	je_free(p)
#define JEX_ALLOC	je_mallocx(x->size, 0)
#define JEX_FREE(p)	je_sdallocx(p, x->size, 0)
#define GLIBC_ALLOC	malloc(x->size)
#define GLIBC_FREE(p)	free(p)

DEFINE_LOOPS(kmem, KMEM_ALLOC, KMEM_FREE)
DEFINE_LOOPS(je, JE_ALLOC, JE_FREE)
DEFINE_LOOPS(jex, JEX_ALLOC, JEX_FREE)
DEFINE_LOOPS(glibc, GLIBC_ALLOC, GLIBC_FREE)

typedef double (*loop_fn)(struct ctx *x);

static const loop_fn pairs_fn[NR_IMPL] = {
	kmem_pairs, je_pairs, jex_pairs, glibc_pairs,
};
static const loop_fn burst_fn[NR_IMPL] = {
	kmem_burst, je_burst, jex_burst, glibc_burst,
};

/* ---- producer/consumer through a single-producer single-consumer ring */

#define RING	1024

struct pc {
	struct ctx *x;
	enum impl impl;
	void *slot[RING];
	unsigned long head;	/* consumer, atomic */
	unsigned long tail;	/* producer, atomic */
};

static void *impl_alloc(enum impl i, struct ctx *x)
{
	switch (i) {
	case KMEM:
		return KMEM_ALLOC;
	case JE_MALLOC:
		return JE_ALLOC;
	case JE_MALLOCX:
		return JEX_ALLOC;
	default:
		return GLIBC_ALLOC;
	}
}

static void impl_free(enum impl i, struct ctx *x, void *p)
{
	switch (i) {
	case KMEM:
		KMEM_FREE(p);
		break;
	case JE_MALLOC:
		JE_FREE(p);
		break;
	case JE_MALLOCX:
		JEX_FREE(p);
		break;
	default:
		GLIBC_FREE(p);
		break;
	}
}

static void *consumer(void *arg)
{
	struct pc *pc = arg;
	unsigned long head = 0;

	while (head < (unsigned long)pc->x->n) {
		while (__atomic_load_n(&pc->tail, __ATOMIC_ACQUIRE) == head)
			;
		impl_free(pc->impl, pc->x, pc->slot[head % RING]);
		__atomic_store_n(&pc->head, ++head, __ATOMIC_RELEASE);
	}
	return NULL;
}

static double prodcons(struct ctx *x, enum impl impl)
{
	struct pc *pc = calloc(1, sizeof(*pc));
	unsigned long tail;
	pthread_t t;
	uint64_t t0;

	pc->x = x;
	pc->impl = impl;
	t0 = bench_now_ns();
	pthread_create(&t, NULL, consumer, pc);
	for (tail = 0; tail < (unsigned long)x->n; tail++) {
		void *p = impl_alloc(impl, x);

		while (tail - __atomic_load_n(&pc->head, __ATOMIC_ACQUIRE) >=
		       RING)
			;
		pc->slot[tail % RING] = p;
		__atomic_store_n(&pc->tail, tail + 1, __ATOMIC_RELEASE);
	}
	pthread_join(t, NULL);
	t0 = bench_now_ns() - t0;
	free(pc);
	return (double)t0 / x->n;
}

#define DEFINE_PRODCONS(tag, impl)					\
static double tag##_prodcons(struct ctx *x)				\
{									\
	return prodcons(x, impl);					\
}
DEFINE_PRODCONS(kmem, KMEM)
DEFINE_PRODCONS(je, JE_MALLOC)
DEFINE_PRODCONS(jex, JE_MALLOCX)
DEFINE_PRODCONS(glibc, GLIBC)

static const loop_fn prodcons_fn[NR_IMPL] = {
	kmem_prodcons, je_prodcons, jex_prodcons, glibc_prodcons,
};

/* ---- two independent threads ------------------------------------------ */

struct solo {
	struct ctx *x;
	enum impl impl;
};

static void *solo_fn(void *arg)
{
	struct solo *s = arg;

	burst_fn[s->impl](s->x);
	return NULL;
}

/* Wall ns per operation with @nthreads threads each doing x->n ops. */
static double threads_run(struct ctx *x, enum impl impl, int nthreads)
{
	struct solo s = { x, impl };
	pthread_t t[2];
	uint64_t t0 = bench_now_ns();
	int i;

	for (i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, solo_fn, &s);
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	return (double)(bench_now_ns() - t0) / x->n;
}

/* ---- running and reporting -------------------------------------------- */

static struct bench_opts opts;

/* @v[impl][round] holds ns/op: report each contender and, for the others,
 * their per-round ratio against kmem_cache. */
static void report_rounds(const char *test, double v[NR_IMPL][64],
		int rounds, struct bench_summary *ratio_je)
{
	struct bench_summary s, r;
	double tmp[64], ratio[64];
	int i, k;

	for (i = 0; i < NR_IMPL; i++) {
		for (k = 0; k < rounds; k++) {
			tmp[k] = v[i][k];
			ratio[k] = v[i][k] / v[KMEM][k];
		}
		bench_summarize(tmp, rounds, &s);
		bench_summarize(ratio, rounds, &r);
		bench_report(stdout, &opts, test, impl_name[i], "ns/op", &s,
			     i == KMEM ? NULL : "kmem_cache",
			     i == KMEM ? NULL : &r);
		if (i == JE_MALLOC && ratio_je)
			*ratio_je = r;
	}
}

static void run_single(const char *name, const loop_fn *fn, size_t size,
		long n, struct bench_summary *ratio_je)
{
	struct ctx x = { .size = size, .n = n };
	double v[NR_IMPL][64];
	char test[64];
	int i, k;

	x.cache = kmem_cache_create("bench", size, 0, SLAB_HWCACHE_ALIGN,
				    NULL);
	for (i = 0; i < NR_IMPL; i++)
		fn[i](&x);	/* warm up: slabs, tcaches, arenas */
	for (k = 0; k < opts.rounds; k++) {
		for (i = 0; i < NR_IMPL; i++)
			v[i][k] = fn[i](&x);
	}
	snprintf(test, sizeof(test), "%s/%zu", name, size);
	report_rounds(test, v, opts.rounds, ratio_je);
	kmem_cache_destroy(x.cache);
}

/* Scaling: aggregate throughput of two threads over one, per round. */
static void run_scaling(size_t size, long n, struct bench_summary *kmem_scale)
{
	struct ctx x = { .size = size, .n = n };
	double one[64], scale[64];
	struct bench_summary s, r;
	char test[64];
	int i, k;

	x.cache = kmem_cache_create("bench-2t", size, 0, SLAB_HWCACHE_ALIGN,
				    NULL);
	snprintf(test, sizeof(test), "2threads/%zu", size);
	for (i = 0; i < NR_IMPL; i++) {
		/* long enough that thread start-up does not count: about
		 * 40 ms (5 ms for --quick) per single-thread run */
		x.n = n;
		x.n = (opts.quick ? 5e6 : 4e7) / threads_run(&x, i, 1);
		x.n = (x.n / BURST + 1) * BURST;
		threads_run(&x, i, 2);
		for (k = 0; k < opts.rounds; k++) {
			double t1 = threads_run(&x, i, 1);
			double t2 = threads_run(&x, i, 2);

			one[k] = t1;
			scale[k] = 2 * t1 / t2;
		}
		bench_summarize(one, opts.rounds, &s);
		bench_summarize(scale, opts.rounds, &r);
		bench_report(stdout, &opts, test, impl_name[i], "ns/op 1t", &s,
			     "2t/1t aggregate", &r);
		if (i == KMEM)
			*kmem_scale = r;
	}
	kmem_cache_destroy(x.cache);
}

static long rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res * sysconf(_SC_PAGESIZE);
}

/* In a child, so that each allocator starts from a clean process. */
static double rss_ratio(enum impl impl, size_t size, long n)
{
	struct ctx x = { .size = size, .n = n };
	double ratio = 0;
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		void **p = malloc(n * sizeof(*p));
		long before, i;

		x.cache = kmem_cache_create("bench-rss", size, 0,
					    SLAB_HWCACHE_ALIGN, NULL);
		before = rss_bytes() + n * sizeof(*p);
		for (i = 0; i < n; i++) {
			p[i] = impl_alloc(impl, &x);
			memset(p[i], 0x5a, size);
		}
		ratio = (double)(rss_bytes() - before) / ((double)n * size);
		if (write(fd[1], &ratio, sizeof(ratio)) != sizeof(ratio))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &ratio, sizeof(ratio)) != sizeof(ratio))
		ratio = -1;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return ratio;
}

static void run_rss(size_t size, long n, double *kmem_ratio)
{
	char test[64];
	int i;

	snprintf(test, sizeof(test), "rss/%zu x%ld", size, n);
	for (i = 0; i < NR_IMPL; i++) {
		double r = rss_ratio(i, size, n);
		struct bench_summary s = { r, r, r };

		bench_report(stdout, &opts, test, impl_name[i], "rss/bytes",
			     &s, NULL, NULL);
		if (i == KMEM)
			*kmem_ratio = r;
	}
}

static int load_jemalloc(void)
{
	void *h = dlopen("libjemalloc.so.2", RTLD_LOCAL | RTLD_NOW);

	if (!h) {
		fprintf(stderr, "bench_slab: %s\n", dlerror());
		return -1;
	}
	je_malloc = (void *(*)(size_t))dlsym(h, "malloc");
	je_free = (void (*)(void *))dlsym(h, "free");
	je_mallocx = (void *(*)(size_t, int))dlsym(h, "mallocx");
	je_sdallocx = (void (*)(void *, size_t, int))dlsym(h, "sdallocx");
	if (!je_malloc || !je_free || !je_mallocx || !je_sdallocx ||
	    je_malloc == malloc) {
		fprintf(stderr, "bench_slab: jemalloc symbols not found\n");
		return -1;
	}
	return 0;
}

static void verdict(const char *what, double got, double goal)
{
	if (opts.json)
		printf("{\"goal\":\"%s\",\"value\":%.2f,\"target\":%.2f,"
		       "\"met\":%s}\n", what, got, goal,
		       got >= goal ? "true" : "false");
	else
		printf("%-46s %6.2f (goal >= %.2f) %s\n", what, got, goal,
		       got >= goal ? "met" : "NOT met");
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 2048, 2304, 1344, 1152, 1016, 2432,
					1472 };
	struct bench_summary pairs2k, burst2k, pc2k, scale = { 0 }, dummy;
	double rss = 0;
	long n;
	size_t i;

	if (bench_parse_args(argc, argv, &opts, 11) || load_jemalloc())
		return 2;
	if (opts.rounds > 64)
		opts.rounds = 64;
	n = opts.quick ? 20000 : 400000;
	bench_report_header(stdout, &opts);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run_single("pairs", pairs_fn, sizes[i], n,
			   i ? &dummy : &pairs2k);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		run_single("burst", burst_fn, sizes[i], n,
			   i ? &dummy : &burst2k);
	run_single("prodcons", prodcons_fn, 2048, n / 2, &pc2k);
	run_scaling(2048, n, &scale);
	run_rss(2304, opts.quick ? 50000 : 1000000, &rss);

	if (!opts.json)
		printf("\n");
	verdict("pairs/2048: jemalloc ns / kmem_cache ns", pairs2k.median, 3);
	verdict("burst/2048: jemalloc ns / kmem_cache ns", burst2k.median, 5);
	verdict("prodcons/2048: jemalloc ns / kmem_cache ns", pc2k.median, 3);
	verdict("2threads/2048: kmem_cache aggregate 2t/1t", scale.median,
		1.9);
	verdict("rss/2304: object bytes / kmem_cache RSS", rss > 0 ?
		1.0 / rss : 0, 1 / 1.03);
	return 0;
}
