/* SPDX-License-Identifier: MIT */
/*
 * bench_memory - what live sockets cost in memory: libsockcore against the
 * kernel, for 1k, 10k, 100k and 1M live sockets of each kind.
 *
 * Each libsockcore measurement runs in a child process of its own (a clean
 * heap, and descriptors that go away with it):
 *   libsockcore  N sockets from sys_socket(); resident memory
 *                (/proc/self/statm) and slab usage (kmem_cache_get_stats
 *                over every cache: slab bytes and object bytes) before and
 *                after.
 *   kernel       N real sockets from socket(2), held by as many processes
 *                as RLIMIT_NOFILE requires (raised up to
 *                /proc/sys/fs/nr_open where the process may; without
 *                CAP_SYS_RESOURCE its hard limit stays); /proc/slabinfo's
 *                lines for the
 *                protocol's cache, sock_inode_cache, filp and dentry, and
 *                /proc/meminfo's Slab, before and after. The kernel merges
 *                some caches (UNIX into another of its size on most
 *                builds): a missing line counts as zero and the meminfo
 *                figure still holds. Other processes' slab activity is in
 *                these figures too: trust them from 10k sockets up.
 * Figures are bytes per live socket (medians over rounds, interleaved:
 * each round runs libsockcore then the kernel for the same kind and N),
 * and ratios: resident or slab bytes over the bytes of the objects
 * themselves (active objects x object size).
 *
 * usage: bench_memory [--quick] [--json | --csv] [--rounds N] [--filter S]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <sockcore/sockcore.h>

#include "bench_common.h"

struct kind {
	const char *name;
	int family, type;
	const char *cache;	/* libsockcore's proto cache */
	const char *kcache;	/* the kernel's /proc/slabinfo line */
	long est;		/* bytes per socket, for the memory check */
};

static const struct kind kinds[] = {
	{ "inet-tcp", AF_INET, SOCK_STREAM, "TCP", "TCP", 4000 },
	{ "inet-udp", AF_INET, SOCK_DGRAM, "UDP", "UDP", 3000 },
	{ "inet6-tcp", AF_INET6, SOCK_STREAM, "TCPv6", "TCPv6", 4200 },
	{ "unix-stream", AF_UNIX, SOCK_STREAM, "UNIX-STREAM", "UNIX", 2800 },
};

#define NR_KINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* What one child measured, all deltas in bytes. */
struct mem {
	double rss;		/* libsockcore: resident; kernel: meminfo Slab */
	double obj, slab;	/* the proto's cache: object and slab bytes */
	double all_obj, all_slab;	/* every cache counted */
	long created;
};

static struct bench_opts opts;

/* ---- libsockcore ------------------------------------------------------- */

struct cache_sum {
	double obj, slab;
};

static int sum_cache(struct kmem_cache *s, void *arg)
{
	struct cache_sum *sum = arg;
	struct kmem_cache_stats st;

	if (!kmem_cache_get_stats(s, &st)) {
		sum->obj += (double)st.active_objs * st.object_size;
		sum->slab += (double)st.total_slabs * st.chunk_size;
	}
	return 0;
}

static void proto_cache(const char *name, struct cache_sum *sum)
{
	struct kmem_cache *s = kmem_cache_find(name);

	sum->obj = sum->slab = 0;
	if (s)
		sum_cache(s, sum);
}

static void sc_child(const struct kind *k, long n, struct mem *m)
{
	struct cache_sum all0 = { 0, 0 }, all1 = { 0, 0 }, p0, p1;
	long rss0, i;

	sockcore_init();
	files_set_limit(files_default(), n + 64);
	if (sockcore_get_file_max() < (unsigned long)n + 64)
		sockcore_set_file_max(n + 64);
	sys_close(sys_socket(k->family, k->type, 0));	/* caches exist */
	kmem_cache_for_each(sum_cache, &all0);
	proto_cache(k->cache, &p0);
	rss0 = bench_rss_bytes();
	for (i = 0; i < n; i++)
		if (sys_socket(k->family, k->type, 0) < 0)
			break;
	m->created = i;
	m->rss = bench_rss_bytes() - rss0;
	kmem_cache_for_each(sum_cache, &all1);
	proto_cache(k->cache, &p1);
	m->obj = p1.obj - p0.obj;
	m->slab = p1.slab - p0.slab;
	m->all_obj = all1.obj - all0.obj;
	m->all_slab = all1.slab - all0.slab;
}

/* ---- the kernel -------------------------------------------------------- */

/* Object and slab bytes of the /proc/slabinfo line @name (0 if absent). */
static void slabinfo_line(const char *text, const char *name,
		struct cache_sum *sum)
{
	const char *p = text;
	size_t len = strlen(name);

	sum->obj = sum->slab = 0;
	while ((p = strstr(p, name))) {
		unsigned long active, num, objsize, perslab, pages, aslabs,
			      nslabs;

		if ((p == text || p[-1] == '\n') && p[len] == ' ' &&
		    sscanf(p + len, "%lu %lu %lu %lu %lu : tunables %*u %*u "
			   "%*u : slabdata %lu %lu", &active, &num, &objsize,
			   &perslab, &pages, &aslabs, &nslabs) == 7) {
			sum->obj = (double)active * objsize;
			sum->slab = (double)nslabs * pages *
				    sysconf(_SC_PAGESIZE);
			return;
		}
		p += len;
	}
}

static char *read_file(const char *path)
{
	size_t cap = 1 << 16, len = 0, r;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");

	if (!f) {
		free(buf);
		return NULL;
	}
	while ((r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = 0;
	fclose(f);
	return buf;
}

static double meminfo_slab(void)
{
	char *t = read_file("/proc/meminfo"), *p;
	double kb = 0;

	if (t && (p = strstr(t, "\nSlab:")))
		kb = strtod(p + 6, NULL);
	free(t);
	return kb * 1024;
}

static void kernel_sums(const struct kind *k, struct cache_sum *proto,
		struct cache_sum *all)
{
	static const char *const extra[] = { "sock_inode_cache", "filp",
					     "dentry" };
	char *t = read_file("/proc/slabinfo");
	struct cache_sum s;
	size_t i;

	slabinfo_line(t ? t : "", k->kcache, proto);
	*all = *proto;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		slabinfo_line(t ? t : "", extra[i], &s);
		all->obj += s.obj;
		all->slab += s.slab;
	}
	free(t);
}

/*
 * The kernel's N sockets, held by as many processes as RLIMIT_NOFILE
 * requires (without CAP_SYS_RESOURCE the hard limit cannot be raised):
 * each holder creates its share, reports it on @ready and waits until
 * @release is closed. The holders' own process overhead (a few pages of
 * slab each) is in meminfo's Slab, not in the four slabinfo lines.
 */
static long kernel_hold(const struct kind *k, long n, int ready[2],
		int release[2], pid_t *pids, int *nr_pids)
{
	long per = (long)bench_raise_nofile(n + 64) - 32, created = 0;

	if (per < 1)
		return 0;
	while (created < n) {
		long share = n - created < per ? n - created : per, got = 0,
		     i;
		pid_t pid = fork();

		if (pid == 0) {
			char c;

			close(ready[0]);
			close(release[1]);
			for (i = 0; i < share; i++)
				if (socket(k->family, k->type, 0) < 0)
					break;
			if (write(ready[1], &i, sizeof(i)) != sizeof(i))
				_exit(1);
			if (read(release[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		if (pid < 0)
			break;
		pids[(*nr_pids)++] = pid;
		if (read(ready[0], &got, sizeof(got)) != sizeof(got) ||
		    got < share) {
			created += got;
			break;
		}
		created += got;
	}
	return created;
}

static void kernel_measure(const struct kind *k, long n, struct mem *m)
{
	struct cache_sum p0, p1, a0, a1;
	int ready[2], release[2], nr_pids = 0, i;
	pid_t *pids = calloc(n / 1000 + 16, sizeof(*pids));
	double slab0;

	memset(m, 0, sizeof(*m));
	if (pipe(ready) || pipe(release))
		return;
	close(socket(k->family, k->type, 0));
	kernel_sums(k, &p0, &a0);
	slab0 = meminfo_slab();
	m->created = kernel_hold(k, n, ready, release, pids, &nr_pids);
	m->rss = meminfo_slab() - slab0;
	kernel_sums(k, &p1, &a1);
	close(release[1]);
	for (i = 0; i < nr_pids; i++)
		waitpid(pids[i], NULL, 0);
	close(release[0]);
	close(ready[0]);
	close(ready[1]);
	free(pids);
	m->obj = p1.obj - p0.obj;
	m->slab = p1.slab - p0.slab;
	m->all_obj = a1.obj - a0.obj;
	m->all_slab = a1.slab - a0.slab;
}

/* ---- one measurement ---------------------------------------------------- */

/* libsockcore in a child process of its own; the kernel through holders. */
static int measure(bool kernel, const struct kind *k, long n, struct mem *m)
{
	int fd[2], status;
	pid_t pid;

	memset(m, 0, sizeof(*m));
	if (kernel) {
		kernel_measure(k, n, m);
		goto check;
	}
	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		sc_child(k, n, m);
		if (write(fd[1], m, sizeof(*m)) != sizeof(*m))
			_exit(1);
		_exit(0);	/* the exit closes every socket at once */
	}
	close(fd[1]);
	if (pid < 0 || read(fd[0], m, sizeof(*m)) != sizeof(*m))
		m->created = 0;
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
check:
	if (m->created < n) {
		fprintf(stderr, "bench_memory: %s %s: %ld of %ld sockets\n",
			kernel ? "kernel" : "sockcore", k->name, m->created, n);
		return -1;
	}
	return 0;
}

/* ---- reporting --------------------------------------------------------- */

enum fig {
	SC_RSS, SC_SLAB, SC_OBJ, K_SLAB, K_OBJ, K_MEMINFO, NR_FIGS
};

static const char *const fig_name[NR_FIGS] = {
	"sockcore-rss", "sockcore-slab", "sockcore-objects",
	"kernel-slab", "kernel-objects", "kernel-meminfo",
};

enum ratio {
	R_SC_RSS, R_SC_SLAB, R_SC_PROTO, R_K_SLAB, R_K_PROTO, NR_RATIOS
};

static const char *const ratio_name[NR_RATIOS] = {
	"sockcore rss/obj", "sockcore slab/obj", "sockcore proto slab/obj",
	"kernel slab/obj", "kernel proto slab/obj",
};

/* Returns the median libsockcore RSS / object bytes (0: not measured). */
static double run_kind(const struct kind *k, long n)
{
	static double v[NR_FIGS][BENCH_MAX_ROUNDS];
	static double r[NR_RATIOS][BENCH_MAX_ROUNDS];
	struct bench_summary s, rss_ratio = { 0 };
	long avail = bench_mem_available();
	int rounds = opts.rounds, i, j;
	char test[64];
	struct mem sc, kn;

	snprintf(test, sizeof(test), "mem-%s/%ld", k->name, n);
	if (!bench_wanted(&opts, test))
		return 0;
	/* both children's sockets exist one after the other, not together */
	if (avail > 0 && (double)avail < 1.5 * k->est * n) {
		fprintf(stderr, "bench_memory: %s x%ld: %ld MiB available, "
			"skipped\n", k->name, n, avail >> 20);
		return 0;
	}
	for (j = 0; j < rounds; j++) {
		bench_progress(&opts, "%s x%ld round %d/%d", k->name, n,
			       j + 1, rounds);
		if (measure(false, k, n, &sc) || measure(true, k, n, &kn))
			return 0;
		v[SC_RSS][j] = sc.rss / n;
		v[SC_SLAB][j] = sc.all_slab / n;
		v[SC_OBJ][j] = sc.all_obj / n;
		v[K_SLAB][j] = kn.all_slab / n;
		v[K_OBJ][j] = kn.all_obj / n;
		v[K_MEMINFO][j] = kn.rss / n;
		r[R_SC_RSS][j] = sc.rss / sc.all_obj;
		r[R_SC_SLAB][j] = sc.all_slab / sc.all_obj;
		r[R_SC_PROTO][j] = sc.slab / sc.obj;
		r[R_K_SLAB][j] = kn.all_obj > 0 ? kn.all_slab / kn.all_obj : 0;
		r[R_K_PROTO][j] = kn.obj > 0 ? kn.slab / kn.obj : 0;
	}
	snprintf(test, sizeof(test), "mem-%s/%ld", k->name, n);
	bench_compare(&opts, test, fig_name, NR_FIGS, SC_RSS, "B/socket",
		      &v[0][0], rounds, NULL);
	snprintf(test, sizeof(test), "memratio-%s/%ld", k->name, n);
	for (i = 0; i < NR_RATIOS; i++) {
		bench_summarize(r[i], rounds, &s);
		bench_report(stdout, &opts, test, ratio_name[i], "x", &s,
			     NULL, NULL);
		if (i == R_SC_RSS)
			rss_ratio = s;
	}
	return rss_ratio.median;
}

int main(int argc, char **argv)
{
	static const long counts[] = { 1000, 10000, 100000, 1000000 };
	double at_max[NR_KINDS] = { 0 };
	long max_n;
	size_t i, c;

	if (bench_parse_args(argc, argv, &opts, 3))
		return 2;
	if (opts.quick)
		opts.rounds = 1;
	max_n = opts.quick ? counts[1] : counts[3];
	bench_report_header(stdout, &opts);
	bench_env(&opts, "start");
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		if (counts[c] > max_n)
			break;
		for (i = 0; i < NR_KINDS; i++) {
			double r = run_kind(&kinds[i], counts[c]);

			if (r > 0)
				at_max[i] = r;
		}
	}
	bench_env(&opts, "end");
	if (!opts.json && !opts.csv)
		printf("\n");
	for (i = 0; i < NR_KINDS; i++) {
		char what[96];

		if (at_max[i] <= 0)
			continue;
		snprintf(what, sizeof(what), "mem-%s/%ld: object bytes / "
			 "sockcore RSS", kinds[i].name, max_n);
		bench_verdict(&opts, what, 1 / at_max[i], 1 / 1.03);
	}
	return 0;
}
