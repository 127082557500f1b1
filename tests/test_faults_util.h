/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the reliability tests (test_faults, test_stress,
 * test_misuse, test_fork and the fuzz harness): a snapshot of everything a
 * failed or undone operation must leave as it found it, and its comparison.
 *
 * A snapshot holds, by name: the active objects of every slab cache (the
 * socket caches and the kmalloc-* ones alike), the in-use count of every
 * registered proto in two namespaces, the sockets in use, the loaded
 * modules and their reference counts, the open descriptors of the calling
 * thread's table, the process's open files and the AF_UNIX socket count.
 *
 * Frees deferred by RCU (raw sockets, old descriptor tables) land after a
 * grace period, so sc_snap_settle_equal() retries the comparison for a
 * while before it reports the difference. No cmocka here: the helpers
 * return a verdict and print what differs, so the fuzz harness can use
 * them too.
 */
#ifndef TEST_FAULTS_UTIL_H
#define TEST_FAULTS_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sockcore/sockcore.h>
#include <sockcore/un.h>
/* The library's RCU flavour: rcu_barrier() waits for its deferred frees
 * (the test links the same liburcu-bp as the library). */
#include <urcu-bp.h>

#define SC_SNAP_MAX 128

struct sc_named {
	char name[40];
	long val;
};

struct sc_snap {
	int nr_caches, nr_protos, nr_modules;
	struct sc_named caches[SC_SNAP_MAX];	/* active_objs */
	struct sc_named protos[SC_SNAP_MAX];	/* inuse: net, then init_net */
	struct sc_named protos_init[SC_SNAP_MAX];
	struct sc_named modules[SC_SNAP_MAX];	/* refcnt */
	long sock_inuse, sock_inuse_init;
	unsigned int files;
	unsigned long nr_files;
	long unix_socks;
};

struct sc_snap_ctx {
	struct sc_snap *s;
	struct net *net;
};

static inline int sc_snap_cache(struct kmem_cache *c, void *arg)
{
	struct sc_snap *s = arg;
	struct kmem_cache_stats st;

	if (s->nr_caches >= SC_SNAP_MAX || kmem_cache_get_stats(c, &st))
		return 0;
	snprintf(s->caches[s->nr_caches].name, sizeof(s->caches[0].name),
		 "%s", st.name);
	s->caches[s->nr_caches++].val = (long)st.active_objs;
	return 0;
}

static inline int sc_snap_proto(struct proto *p, void *arg)
{
	struct sc_snap_ctx *ctx = arg;
	struct sc_snap *s = ctx->s;

	if (s->nr_protos >= SC_SNAP_MAX)
		return 0;
	snprintf(s->protos[s->nr_protos].name, sizeof(s->protos[0].name),
		 "%s", p->name);
	s->protos[s->nr_protos].val = sock_prot_inuse_get(ctx->net, p);
	s->protos_init[s->nr_protos] = s->protos[s->nr_protos];
	s->protos_init[s->nr_protos].val = sock_prot_inuse_get(&init_net, p);
	s->nr_protos++;
	return 0;
}

static inline int sc_snap_module(const struct sockcore_module_info *m, void *arg)
{
	struct sc_snap *s = arg;

	if (s->nr_modules >= SC_SNAP_MAX)
		return 0;
	snprintf(s->modules[s->nr_modules].name, sizeof(s->modules[0].name),
		 "%s", m->name);
	s->modules[s->nr_modules++].val = m->refcnt;
	return 0;
}

static inline void sc_snap_take(struct sc_snap *s)
{
	struct sc_snap_ctx ctx = { .s = s, .net = current_net() };

	memset(s, 0, sizeof(*s));
	kmem_cache_for_each(sc_snap_cache, s);
	proto_for_each(sc_snap_proto, &ctx);
	sockcore_module_for_each(sc_snap_module, s);
	s->sock_inuse = sock_inuse_get(current_net());
	s->sock_inuse_init = sock_inuse_get(&init_net);
	s->files = files_count(current_files());
	s->nr_files = sockcore_nr_files();
	s->unix_socks = unix_nr_socks_get();
}

static inline long sc_named_find(const struct sc_named *v, int n,
		const char *name, bool *found)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(v[i].name, name)) {
			*found = true;
			return v[i].val;
		}
	}
	*found = false;
	return 0;
}

/* Compare two lists by name (entries missing on one side count as 0 for
 * counters; @must_match_set also requires the same names). */
static inline int sc_named_diff(const char *what, const struct sc_named *a,
		int na, const struct sc_named *b, int nb, bool must_match_set,
		bool print)
{
	int diffs = 0;
	bool found;
	long v;

	for (int i = 0; i < na; i++) {
		v = sc_named_find(b, nb, a[i].name, &found);
		if ((!found && must_match_set) || v != a[i].val) {
			diffs++;
			if (print)
				fprintf(stderr, "  %s %s: %ld -> %s%ld\n", what,
					a[i].name, a[i].val,
					found ? "" : "(gone) ", v);
		}
	}
	for (int i = 0; i < nb; i++) {
		v = sc_named_find(a, na, b[i].name, &found);
		if (!found && (must_match_set || b[i].val)) {
			diffs++;
			if (print)
				fprintf(stderr, "  %s %s: (new) %ld\n", what,
					b[i].name, b[i].val);
		}
	}
	return diffs;
}

/* Number of differences between @a (before) and @b (after). */
static inline int sc_snap_diff(const struct sc_snap *a, const struct sc_snap *b,
		bool print)
{
	int d = 0;

	d += sc_named_diff("cache", a->caches, a->nr_caches, b->caches,
			   b->nr_caches, false, print);
	d += sc_named_diff("proto inuse", a->protos, a->nr_protos, b->protos,
			   b->nr_protos, false, print);
	d += sc_named_diff("proto inuse (init_net)", a->protos_init,
			   a->nr_protos, b->protos_init, b->nr_protos, false,
			   print);
	d += sc_named_diff("module refcnt", a->modules, a->nr_modules,
			   b->modules, b->nr_modules, true, print);
#define SC_FIELD(f, fmt) do {						\
	if (a->f != b->f) {						\
		d++;							\
		if (print)						\
			fprintf(stderr, "  " #f ": " fmt " -> " fmt "\n", \
				a->f, b->f);				\
	}								\
} while (0)
	SC_FIELD(sock_inuse, "%ld");
	SC_FIELD(sock_inuse_init, "%ld");
	SC_FIELD(files, "%u");
	SC_FIELD(nr_files, "%lu");
	SC_FIELD(unix_socks, "%ld");
#undef SC_FIELD
	return d;
}

static inline void sc_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Whether the state now equals @before, allowing up to ~5 s for frees
 * deferred past an RCU grace period. Prints the differences (prefixed by
 * @ctx) when it gives up.
 */
static inline bool sc_snap_settle_equal(const struct sc_snap *before,
		const char *ctx)
{
	static struct sc_snap now;	/* large: off the stack */

	for (int i = 0; i < 500; i++) {
		rcu_barrier();
		sc_snap_take(&now);
		if (!sc_snap_diff(before, &now, false))
			return true;
		sc_sleep_ms(i < 20 ? 1 : 10);
	}
	fprintf(stderr, "%s: state not restored:\n", ctx);
	sc_snap_diff(before, &now, true);
	return false;
}

/* A snapshot once the state has stopped moving (pending RCU frees done). */
static inline void sc_snap_quiescent(struct sc_snap *s)
{
	static struct sc_snap prev;

	rcu_barrier();
	sc_snap_take(&prev);
	for (int i = 0; i < 200; i++) {
		rcu_barrier();
		sc_snap_take(s);
		if (!sc_snap_diff(&prev, s, false))
			return;
		prev = *s;
	}
}

/* Build flavour: sanitizers slow everything down, campaigns scale down. */
#if defined(SOCKCORE_ASAN) || defined(SOCKCORE_TSAN) || \
	defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SC_SANITIZED 1
#else
#define SC_SANITIZED 0
#endif

#endif /* TEST_FAULTS_UTIL_H */
