/* SPDX-License-Identifier: MIT */
/*
 * bench_slab - kmem_cache against jemalloc and glibc malloc.
 *
 * Workloads, on 64 B, 1 KiB, 2 KiB, the kernel's proto object sizes and
 * every proto registered in libsockcore (its modules' included):
 *   pairs       alloc+free, one object at a time
 *   burst       256 allocations, then 256 frees in the same order
 *   burst-rand  256 allocations, then 256 frees in a random order
 *   burst64k[-rand]  the same with bursts of 65,536
 *   zero        pairs of zeroed objects (__GFP_ZERO; calloc, MALLOCX_ZERO)
 *   ctor        pairs where each object needs a constructor: kmem_cache
 *               runs it once per object when the slab is made, the
 *               mallocs on every allocation
 *   rcu-pairs, rcu-burst  a SLAB_TYPESAFE_BY_RCU cache (the mallocs as
 *               in pairs and burst)
 *   prodcons    one thread allocates, another frees, through a ring
 *   2threads    two threads doing bursts independently: aggregate
 *               throughput against one thread alone
 *   rss         one million live 2304-byte objects: resident bytes per
 *               object byte
 *
 * jemalloc is reached through dlopen("libjemalloc.so.2") + dlsym, so this
 * process's own malloc stays glibc's; "jemalloc" is its malloc/free and
 * "je-mallocx" its mallocx/sdallocx (sized free, the fastest path it has).
 * Rounds are interleaved (every contender once per round) and ratios are
 * taken per round: ratio = contender ns / kmem_cache ns, i.e. how many
 * times faster kmem_cache was in that round.
 *
 * usage: bench_slab [--quick] [--json | --csv] [--rounds N] [--filter S]
 */
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <sockcore/sockcore.h>

#include "bench_common.h"

enum impl { KMEM, JE_MALLOC, JE_MALLOCX, GLIBC, NR_IMPL };

static const char *const impl_name[NR_IMPL] = {
	"kmem_cache", "jemalloc", "je-mallocx", "glibc",
};

static void *(*je_malloc)(size_t);
static void (*je_free)(void *);
static void *(*je_calloc)(size_t, size_t);
static void *(*je_mallocx)(size_t, int);
static void (*je_sdallocx)(void *, size_t, int);

struct ctx {
	struct kmem_cache *cache;
	size_t size;
	long n;			/* operations per measurement */
	int burst;		/* objects per burst */
	void **p;		/* room for a burst */
	const unsigned int *order;	/* free order of a burst, or NULL */
};

#define BURST		256
#define BIG_BURST	65536
#define MALLOCX_ZERO	0x40	/* <jemalloc/jemalloc.h> */

/* A constructor of the kind sockets have: a header (lock, list head,
 * state) set up once. */
static void obj_ctor(void *obj)
{
	memset(obj, 0, 64);
	*(unsigned int *)obj = 0x50c0c0de;
}

/* The loops, instantiated per allocator so that each calls its own
 * functions directly. Results in ns per alloc+free. */
#define DEFINE_LOOPS(tag, ALLOC, FREE)					\
static __attribute__((unused)) double tag##_pairs(struct ctx *x)	\
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
static __attribute__((unused)) double tag##_burst(struct ctx *x)	\
{									\
	const unsigned int *o = x->order;				\
	uint64_t t = bench_now_ns();					\
	long r, nr = x->n / x->burst ? x->n / x->burst : 1;		\
	void **p = x->p;						\
	int i, b = x->burst;						\
									\
	for (r = 0; r < nr; r++) {					\
		for (i = 0; i < b; i++)					\
			p[i] = ALLOC;					\
		bench_use(p);						\
		if (o)							\
			for (i = 0; i < b; i++)				\
				FREE(p[o[i]]);				\
		else							\
			for (i = 0; i < b; i++)				\
				FREE(p[i]);				\
	}								\
	return (double)(bench_now_ns() - t) / (nr * b);			\
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

/* zeroed objects */
DEFINE_LOOPS(kmemz, kmem_cache_alloc(x->cache, GFP_KERNEL | __GFP_ZERO),
	     KMEM_FREE)
DEFINE_LOOPS(jez, je_calloc(1, x->size), JE_FREE)
DEFINE_LOOPS(jexz, je_mallocx(x->size, MALLOCX_ZERO), JEX_FREE)
DEFINE_LOOPS(glibcz, calloc(1, x->size), GLIBC_FREE)

/* objects that need a constructor: the cache has one (x->cache made with
 * obj_ctor), the mallocs run it after each allocation */
#define WITH_CTOR(alloc) ({ void *q_ = (alloc); obj_ctor(q_); q_; })
DEFINE_LOOPS(jec, WITH_CTOR(JE_ALLOC), JE_FREE)
DEFINE_LOOPS(jexc, WITH_CTOR(JEX_ALLOC), JEX_FREE)
DEFINE_LOOPS(glibcc, WITH_CTOR(GLIBC_ALLOC), GLIBC_FREE)

typedef double (*loop_fn)(struct ctx *x);

static const loop_fn pairs_fn[NR_IMPL] = {
	kmem_pairs, je_pairs, jex_pairs, glibc_pairs,
};
static const loop_fn burst_fn[NR_IMPL] = {
	kmem_burst, je_burst, jex_burst, glibc_burst,
};
static const loop_fn zero_fn[NR_IMPL] = {
	kmemz_pairs, jez_pairs, jexz_pairs, glibcz_pairs,
};
static const loop_fn ctor_fn[NR_IMPL] = {
	kmem_pairs, jec_pairs, jexc_pairs, glibcc_pairs,
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

/* Wait for @cond; on an oversubscribed machine give the core away rather
 * than spin through the other side's time slice. */
#define SPIN_UNTIL(cond)						\
	do {								\
		unsigned int spins = 0;					\
									\
		while (!(cond)) {					\
			if (++spins % 256 == 0)				\
				sched_yield();				\
		}							\
	} while (0)

static void *consumer(void *arg)
{
	struct pc *pc = arg;
	unsigned long head = 0;

	while (head < (unsigned long)pc->x->n) {
		SPIN_UNTIL(__atomic_load_n(&pc->tail, __ATOMIC_ACQUIRE) != head);
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

		SPIN_UNTIL(tail - __atomic_load_n(&pc->head, __ATOMIC_ACQUIRE) <
			   RING);
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
	uint64_t cpu;		/* the threads' CPU time, atomic */
};

static void *solo_fn(void *arg)
{
	struct solo *s = arg;
	struct ctx x = *s->x;
	uint64_t cpu = bench_thread_cpu_ns();
	void *p[BURST];

	x.p = p;	/* each thread its own burst array */
	x.burst = BURST;
	x.order = NULL;
	burst_fn[s->impl](&x);
	__atomic_fetch_add(&s->cpu, bench_thread_cpu_ns() - cpu,
			   __ATOMIC_RELAXED);
	return NULL;
}

/* CPUs the last threads_run() had: its threads' CPU time over its wall
 * time (2.0 for two threads that ran all along; less on a busy machine,
 * which then caps the scaling, whatever the allocator). */
static double threads_cpus;

/* Wall ns per operation with @nthreads threads each doing x->n ops. */
static double threads_run(struct ctx *x, enum impl impl, int nthreads)
{
	struct solo s = { x, impl, 0 };
	pthread_t t[2];
	uint64_t t0 = bench_now_ns();
	int i;

	for (i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, solo_fn, &s);
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	t0 = bench_now_ns() - t0;
	threads_cpus = (double)s.cpu / t0;
	return (double)t0 / x->n;
}

/* ---- running and reporting -------------------------------------------- */

static struct bench_opts opts;

struct run {
	const char *name;		/* scenario */
	const loop_fn *fn;
	int burst;			/* 0: pairs */
	bool random_order;
	slab_flags_t flags;		/* the kmem_cache's */
	void (*ctor)(void *);
};

/* Rounds interleaved, every contender once per round; ratios per round
 * against kmem_cache. @ratio_je gets jemalloc's. */
static void run_single(const struct run *run, size_t size, long n,
		struct bench_summary *ratio_je)
{
	static double v[NR_IMPL][BENCH_MAX_ROUNDS];
	static unsigned int order[BIG_BURST];
	struct bench_summary r[NR_IMPL];
	struct ctx x = { .size = size, .n = n, .burst = run->burst };
	char test[64];
	int i, k;

	snprintf(test, sizeof(test), "%s/%zu", run->name, size);
	if (!bench_wanted(&opts, test))
		return;
	if (run->burst) {
		x.p = malloc(run->burst * sizeof(*x.p));
		if (run->random_order) {
			/* Fisher-Yates, the same permutation for all */
			for (i = 0; i < run->burst; i++)
				order[i] = i;
			srand(42);
			for (i = run->burst - 1; i > 0; i--) {
				int j = rand() % (i + 1);
				unsigned int t = order[i];

				order[i] = order[j];
				order[j] = t;
			}
			x.order = order;
		}
	}
	x.cache = kmem_cache_create("bench", size, 0,
				    SLAB_HWCACHE_ALIGN | run->flags,
				    run->ctor);
	for (i = 0; i < NR_IMPL; i++)
		run->fn[i](&x);	/* warm up: slabs, tcaches, arenas */
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "%s round %d/%d", test, k + 1,
			       opts.rounds);
		for (i = 0; i < NR_IMPL; i++)
			v[i][k] = run->fn[i](&x);
	}
	bench_compare(&opts, test, impl_name, NR_IMPL, KMEM, "ns/op", &v[0][0],
		      opts.rounds, r);
	if (ratio_je)
		*ratio_je = r[JE_MALLOC];
	kmem_cache_destroy(x.cache);
	free(x.p);
}

/* Scaling: aggregate throughput of two threads over one, per round. */
static void run_scaling(size_t size, long n, struct bench_summary *kmem_scale)
{
	struct ctx x = { .size = size, .n = n };
	double one[BENCH_MAX_ROUNDS], scale[BENCH_MAX_ROUNDS];
	double cpus[BENCH_MAX_ROUNDS];
	struct bench_summary s, r;
	char test[64], subject[48];
	int i, k;

	snprintf(test, sizeof(test), "2threads/%zu", size);
	if (!bench_wanted(&opts, test))
		return;
	x.cache = kmem_cache_create("bench-2t", size, 0, SLAB_HWCACHE_ALIGN,
				    NULL);
	for (i = 0; i < NR_IMPL; i++) {
		/* long enough that thread start-up does not count: about
		 * 40 ms (5 ms for --quick) per single-thread run */
		x.n = n;
		x.n = (opts.quick ? 5e6 : 4e7) / threads_run(&x, i, 1);
		x.n = (x.n / BURST + 1) * BURST;
		threads_run(&x, i, 2);
		for (k = 0; k < opts.rounds; k++) {
			double t1;

			bench_progress(&opts, "%s %s round %d/%d", test,
				       impl_name[i], k + 1, opts.rounds);
			t1 = threads_run(&x, i, 1);
			double t2 = threads_run(&x, i, 2);

			one[k] = t1;
			scale[k] = 2 * t1 / t2;
			cpus[k] = threads_cpus;
		}
		bench_summarize(one, opts.rounds, &s);
		bench_summarize(scale, opts.rounds, &r);
		bench_report(stdout, &opts, test, impl_name[i], "ns/op 1t", &s,
			     "2t/1t aggregate", &r);
		/* what two threads had: CPU time over wall time */
		snprintf(subject, sizeof(subject), "%s CPUs 2t", impl_name[i]);
		bench_summarize(cpus, opts.rounds, &s);
		bench_report(stdout, &opts, test, subject, "CPUs", &s, NULL,
			     NULL);
		if (i == KMEM)
			*kmem_scale = r;
	}
	kmem_cache_destroy(x.cache);
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
		before = bench_rss_bytes() + n * sizeof(*p);
		for (i = 0; i < n; i++) {
			p[i] = impl_alloc(impl, &x);
			memset(p[i], 0x5a, size);
		}
		ratio = (double)(bench_rss_bytes() - before) / ((double)n * size);
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
	if (!bench_wanted(&opts, test))
		return;
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
	je_calloc = (void *(*)(size_t, size_t))dlsym(h, "calloc");
	je_mallocx = (void *(*)(size_t, int))dlsym(h, "mallocx");
	je_sdallocx = (void (*)(void *, size_t, int))dlsym(h, "sdallocx");
	if (!je_malloc || !je_free || !je_calloc || !je_mallocx || !je_sdallocx ||
	    je_malloc == malloc) {
		fprintf(stderr, "bench_slab: jemalloc symbols not found\n");
		return -1;
	}
	return 0;
}

/* ---- the sizes: fixed ones, the kernel's, and every registered proto's */

#define MAX_SIZES	32

static size_t sizes[MAX_SIZES];
static int nr_sizes;

static void add_size(size_t size)
{
	int i;

	for (i = 0; i < nr_sizes; i++)
		if (sizes[i] == size)
			return;
	if (nr_sizes < MAX_SIZES)
		sizes[nr_sizes++] = size;
}

static int add_proto_size(struct proto *prot, void *arg)
{
	(void)arg;
	if (prot->slab)
		add_size(kmem_cache_size(prot->slab));
	return 0;
}

static void collect_sizes(void)
{
	/* 2048 first: the goals are stated on it; then the kernel's proto
	 * sizes this benchmark has always had */
	static const size_t fixed[] = { 2048, 64, 1024, 2304, 1344, 1152,
					1016, 2432, 1472 };
	static const char *const mods[] = { "udplite", "udplite6", "mptcp",
					    "mptcp6" };
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		add_size(fixed[i]);
	sockcore_init();
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		sockcore_module_load(mods[i]);
	proto_for_each(add_proto_size, NULL);
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		sockcore_module_unload(mods[i]);
}

int main(int argc, char **argv)
{
	static const struct run pairs = { "pairs", pairs_fn, 0, false, 0,
					  NULL };
	static const struct run runs[] = {
		{ "burst", burst_fn, BURST, false, 0, NULL },
		{ "burst-rand", burst_fn, BURST, true, 0, NULL },
		{ "burst64k", burst_fn, BIG_BURST, false, 0, NULL },
		{ "burst64k-rand", burst_fn, BIG_BURST, true, 0, NULL },
		{ "zero", zero_fn, 0, false, 0, NULL },
		{ "ctor", ctor_fn, 0, false, 0, obj_ctor },
		{ "rcu-pairs", pairs_fn, 0, false, SLAB_TYPESAFE_BY_RCU,
		  NULL },
		{ "rcu-burst", burst_fn, BURST, false, SLAB_TYPESAFE_BY_RCU,
		  NULL },
	};
	static const struct run prodcons_run = { "prodcons", prodcons_fn, 0,
						 false, 0, NULL };
	struct bench_summary pairs2k = { 0 }, burst2k = { 0 }, pc2k = { 0 },
			     scale = { 0 };
	double rss = 0;
	long n;
	size_t r;
	int i;

	if (bench_parse_args(argc, argv, &opts, 11) || load_jemalloc())
		return 2;
	collect_sizes();
	n = opts.quick ? 20000 : 400000;
	bench_report_header(stdout, &opts);
	bench_env(&opts, "start");
	if (opts.quick)
		nr_sizes = 3;	/* smoke run: 2048, 64 and 1024 only */
	for (i = 0; i < nr_sizes; i++)
		run_single(&pairs, sizes[i], n, i ? NULL : &pairs2k);
	for (r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		/* --quick: one 64k burst per measurement */
		long nb = runs[r].burst > n ? runs[r].burst : n;

		/* smoke run: the 64k bursts on 2048 only */
		int nsz = opts.quick && runs[r].burst == BIG_BURST ? 1 :
			  nr_sizes;

		for (i = 0; i < nsz; i++)
			run_single(&runs[r], sizes[i], nb,
				   r == 0 && i == 0 ? &burst2k : NULL);
	}
	run_single(&prodcons_run, 2048, n / 2, &pc2k);
	run_single(&prodcons_run, 64, n / 2, NULL);
	run_single(&prodcons_run, 1024, n / 2, NULL);
	run_scaling(2048, n, &scale);
	run_rss(2304, opts.quick ? 50000 : 1000000, &rss);
	bench_env(&opts, "end");

	if (!opts.json && !opts.csv)
		printf("\n");
	bench_verdict(&opts, "pairs/2048: jemalloc ns / kmem_cache ns",
		      pairs2k.median, 3);
	bench_verdict(&opts, "burst/2048: jemalloc ns / kmem_cache ns",
		      burst2k.median, 5);
	bench_verdict(&opts, "prodcons/2048: jemalloc ns / kmem_cache ns",
		      pc2k.median, 3);
	bench_verdict(&opts, "2threads/2048: kmem_cache aggregate 2t/1t",
		      scale.median, 1.9);
	bench_verdict(&opts, "rss/2304: object bytes / kmem_cache RSS",
		      rss > 0 ? 1.0 / rss : 0, 1 / 1.03);
	return 0;
}
