/* SPDX-License-Identifier: MIT */
/*
 * lib/mm/slab.c - object caches (the kernel's mm/slub.c, in user space).
 *
 * Three layers:
 *  - per-thread magazines: a main and a spare array of object pointers per
 *    cache, found from one initial-exec TLS pointer by the cache's id. An
 *    allocation or free that hits them takes no lock and does no atomic
 *    read-modify-write; a free from any thread goes to that thread's own
 *    magazine, so remote frees cost a local free.
 *  - the depot: per cache, lists of full and empty magazines under s->lock,
 *    touched once per magazine's worth of objects.
 *  - slabs: naturally aligned chunks from a private jemalloc arena, slab
 *    header at the chunk start (found by masking an object pointer), a
 *    bitmap of free objects (object memory is never written by the
 *    allocator, so constructed state and RCU type safety survive).
 *
 * Debug caches (SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER or
 * SOCKCORE_SLAB_DEBUG) skip the magazines: every operation goes to the
 * slab layer under s->lock, where slab_debug.c checks it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jemalloc/jemalloc.h>

#include "slab_internal.h"
#include "kernel/fork.h"

#define BITS_PER_LONG		(8 * sizeof(long))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define CACHE_LINE		64u
#define SLAB_MIN_EMPTY		1	/* empty slabs kept per cache */
#define DEPOT_MAX_FULL		8	/* magazines; beyond: back to slabs */
#define DEPOT_MAX_EMPTY		8

pthread_mutex_t slab_mutex = PTHREAD_MUTEX_INITIALIZER;
CDS_LIST_HEAD(slab_caches);
pthread_mutex_t slab_registry_lock = PTHREAD_MUTEX_INITIALIZER;
CDS_LIST_HEAD(slab_registry);

static unsigned int slab_arena;
int slab_hooks;				/* SLAB_HOOK_* */
static pthread_once_t slab_once = PTHREAD_ONCE_INIT;
static pthread_key_t slab_tls_key;
static unsigned char *slab_ids;		/* slab_mutex */
static unsigned int slab_ids_cap;

static struct kmem_cache *kmalloc_caches[13];
static const unsigned int kmalloc_sizes[13] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
};
/* (size - 1) / 8 -> index, for sizes up to 192 (as the kernel's table) */
static const unsigned char kmalloc_size_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5,
	6, 6, 6, 6, 6, 6, 6, 6
};

/* Slots of caches a thread has not used point here: both magazines have
 * size 0, so the fast path falls through to the slow path without a NULL
 * check of its own. Never written. */
static struct magazine mag_none;
static struct slab_pcpu slab_pcpu_none = {
	.main = &mag_none, .spare = &mag_none,
};
static struct slab_tls slab_tls_dead = { .nr = 0, .dead = true };

static __thread struct slab_tls *slab_tls
	__attribute__((tls_model("initial-exec")));

struct large_hdr {
	uint32_t magic;
	size_t size;
};

static void slab_init(void);
static void slab_atfork_child(void);

/* Anchor of the Valgrind mempool that describes large kmalloc blocks. */
static char slab_vg_large;

/* ---- slab layer (s->lock held unless noted) ------------------------- */

static unsigned int slab_hdr_size(unsigned int nr, unsigned int align)
{
	size_t h = sizeof(struct slab) + BITS_TO_LONGS(nr) * sizeof(long);

	return ALIGN_UP(h, (size_t)align);
}

static unsigned int slab_objs_fit(size_t chunk, unsigned int stride,
		unsigned int align)
{
	unsigned int n = chunk / stride;

	while (n && slab_hdr_size(n, align) + (size_t)n * stride > chunk)
		n--;
	return n;
}

/*
 * Pick the smallest chunk that wastes at most 3% (header and padding
 * included, measured against the caller's object size), else the one
 * that wastes least.
 */
static void slab_choose_chunk(struct kmem_cache *s)
{
	unsigned int useful = s->debug ? s->size : s->object_size;
	size_t best = SLAB_MAX_CHUNK, best_waste = (size_t)-1, cs;

	for (cs = SLAB_MIN_CHUNK; cs <= SLAB_MAX_CHUNK; cs <<= 1) {
		unsigned int n = slab_objs_fit(cs, s->size, s->align);
		size_t permille;

		if (!n)
			continue;
		permille = (cs - (size_t)n * useful) * 1000 / cs;
		if (permille <= 30) {
			best = cs;
			break;
		}
		if (permille < best_waste) {
			best_waste = permille;
			best = cs;
		}
	}
	s->chunk_size = best;
}

static void slab_set_layout(struct kmem_cache *s)
{
	if (!s->is_kmalloc)
		slab_choose_chunk(s);
	else
		s->chunk_size = KMALLOC_CHUNK;
	s->chunk_mask = ~((uintptr_t)s->chunk_size - 1);
	s->objs_per_slab = slab_objs_fit(s->chunk_size, s->size, s->align);
	s->offset = slab_hdr_size(s->objs_per_slab, s->align);
}

/*
 * Valgrind and the arena. Memcheck does not see jemalloc's mallocx() as a
 * heap: the arena's pages are plain mapped memory to it, addressable and
 * defined. While a chunk is ours we describe it (objects NOACCESS while
 * free, mempool blocks while out); whatever we marked must be undone
 * before the memory goes back, or jemalloc's next user of those pages (a
 * slab of another cache, a large kmalloc, its own metadata) inherits our
 * NOACCESS marks. So: a chunk we receive is undefined (defined when
 * jemalloc zeroed it), a chunk we give back is addressable and defined
 * again, its whole usable size (jemalloc may have rounded it up).
 * Chunk-level only (a few per megabyte), outside the fast paths; the
 * requests are a few instructions when not running under Valgrind.
 */
static void slab_vg_chunk_alloc(void *p, size_t size, int flags)
{
	if (flags & MALLOCX_ZERO)
		VALGRIND_MAKE_MEM_DEFINED(p, size);
	else
		VALGRIND_MAKE_MEM_UNDEFINED(p, size);
}

static __attribute__((noinline)) void slab_vg_chunk_free(void *p)
{
	VALGRIND_MAKE_MEM_DEFINED(p, sallocx(p, 0));
}

/*
 * LeakSanitizer's list of root regions has a lock that fork() does not
 * take: a child forked while another thread was inside
 * __lsan_register_root_region() hangs there. Chunks are (un)registered
 * under this lock, which slab_lock_all() takes before a fork.
 */
static pthread_mutex_t slab_chunk_lock = PTHREAD_MUTEX_INITIALIZER;

/* Naturally aligned memory from the private arena (no thread cache: the
 * magazines are ours). */
static void *slab_chunk_alloc(size_t size, size_t align, int flags)
{
	void *p = mallocx(size, MALLOCX_ARENA(slab_arena) | MALLOCX_ALIGN(align) |
			  MALLOCX_TCACHE_NONE | flags);

	if (p) {
		pthread_mutex_lock(&slab_chunk_lock);
		slab_lsan_register(p, size);
		pthread_mutex_unlock(&slab_chunk_lock);
		slab_vg_chunk_alloc(p, size, flags);
	}
	return p;
}

static void slab_chunk_free(void *chunk, size_t size)
{
	pthread_mutex_lock(&slab_chunk_lock);
	slab_lsan_unregister(chunk, size);
	pthread_mutex_unlock(&slab_chunk_lock);
	slab_asan_unpoison(chunk, size);
	if (unlikely(slab_hooks_get() & SLAB_HOOK_VALGRIND))
		slab_vg_chunk_free(chunk);
	dallocx(chunk, MALLOCX_TCACHE_NONE);
}

/* Make a slab: called without s->lock (constructors run here). */
static struct slab *slab_new(struct kmem_cache *s)
{
	struct slab *slab = slab_chunk_alloc(s->chunk_size, s->chunk_size, 0);
	unsigned int i, n = s->objs_per_slab;
	char *p;

	if (!slab)
		return NULL;
	slab_asan_unpoison(slab, s->chunk_size);
	slab->magic = SLAB_MAGIC;
	slab->inuse = 0;
	slab->cache = s;
	slab->hint = 0;
	memset(slab->bitmap, 0, BITS_TO_LONGS(n) * sizeof(long));
	for (i = 0; i < n; i++)
		slab->bitmap[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
	p = slab_objects(s, slab);
	for (i = 0; i < n; i++, p += s->size) {
		if (s->ctor)
			s->ctor(p);
		if (s->debug)
			slab_debug_init_object(s, p);
		slab_raw_end(p, s->size);
	}
	return slab;
}

static void slab_rcu_free(struct rcu_head *head)
{
	struct slab *slab = caa_container_of(head, struct slab, rcu);
	struct kmem_cache *s;
	size_t size;

	/* pairs with the release in slab_release_list(): the hand-off
	 * through liburcu's queue is invisible to ThreadSanitizer */
	__atomic_load_n(&slab->magic, __ATOMIC_ACQUIRE);
	s = slab->cache;
	size = s->chunk_size;
	slab->magic = 0;
	slab_chunk_free(slab, size);
	__atomic_sub_fetch(&s->rcu_pending, 1, __ATOMIC_RELEASE);
}

/* Wait for the RCU frees of @s. The acquire load pairs with the release
 * in slab_rcu_free(): liburcu is not instrumented, so this is what tells
 * ThreadSanitizer that the callbacks are done with the cache. */
static void slab_rcu_wait(struct kmem_cache *s)
{
	rcu_barrier();
	while (__atomic_load_n(&s->rcu_pending, __ATOMIC_ACQUIRE))
		rcu_barrier();
}

/* Give unlinked empty slabs back to the arena; without s->lock. For a
 * SLAB_TYPESAFE_BY_RCU cache the memory must stay an object of this cache
 * until readers that may still hold stale pointers are gone. */
static void slab_release_list(struct kmem_cache *s, struct cds_list_head *l)
{
	struct slab *slab, *tmp;

	cds_list_for_each_entry_safe(slab, tmp, l, node) {
		cds_list_del(&slab->node);
		if (s->flags & SLAB_TYPESAFE_BY_RCU) {
			__atomic_add_fetch(&s->rcu_pending, 1, __ATOMIC_RELAXED);
			__atomic_store_n(&slab->magic, SLAB_MAGIC,
					 __ATOMIC_RELEASE);
			call_rcu(&slab->rcu, slab_rcu_free);
		} else {
			slab->magic = 0;
			slab_chunk_free(slab, s->chunk_size);
		}
	}
}

static void *slab_take_object(struct kmem_cache *s, struct slab *slab)
{
	unsigned int w = slab->hint, bit;

	while (!slab->bitmap[w])
		w++;
	bit = __builtin_ctzl(slab->bitmap[w]);
	slab->bitmap[w] &= slab->bitmap[w] - 1;
	slab->hint = w;
	slab->inuse++;
	return slab_objects(s, slab) +
		(size_t)(w * BITS_PER_LONG + bit) * s->size;
}

/* Take up to @nr objects from the slab lists into @p. */
static unsigned int slab_get_objects(struct kmem_cache *s, void **p,
		unsigned int nr)
{
	unsigned int got = 0;

	while (got < nr) {
		struct slab *slab;

		if (!cds_list_empty(&s->partial)) {
			slab = cds_list_entry(s->partial.next, struct slab, node);
		} else if (!cds_list_empty(&s->empty)) {
			slab = cds_list_entry(s->empty.next, struct slab, node);
			cds_list_move(&slab->node, &s->partial);
			s->nr_empty--;
		} else {
			break;
		}
		while (got < nr && slab->inuse < s->objs_per_slab)
			p[got++] = slab_take_object(s, slab);
		if (slab->inuse == s->objs_per_slab)
			cds_list_move(&slab->node, &s->full);
	}
	return got;
}

static void slab_add_new(struct kmem_cache *s, struct slab *slab)
{
	cds_list_add(&slab->node, &s->empty);
	s->nr_slabs++;
	s->nr_empty++;
}

/*
 * Return one object to its slab. An empty slab beyond the few kept goes to
 * @release (freed by the caller after unlocking), or stays on the empty
 * list when @release is NULL.
 */
static void slab_put_object(struct kmem_cache *s, struct slab *slab,
		unsigned int idx, struct cds_list_head *release)
{
	unsigned int w = idx / BITS_PER_LONG;

	slab->bitmap[w] |= 1UL << (idx % BITS_PER_LONG);
	if (w < slab->hint)
		slab->hint = w;
	if (slab->inuse-- == s->objs_per_slab)
		cds_list_move(&slab->node, &s->partial);
	if (slab->inuse)
		return;
	if (release && s->nr_empty >= SLAB_MIN_EMPTY) {
		cds_list_move(&slab->node, release);
		s->nr_slabs--;
	} else {
		cds_list_move(&slab->node, &s->empty);
		s->nr_empty++;
	}
}

static unsigned int slab_obj_index(struct kmem_cache *s, struct slab *slab,
		const void *obj)
{
	return ((const char *)obj - slab_objects(s, slab)) / s->size;
}

static void slab_put_objects(struct kmem_cache *s, void **p, unsigned int nr,
		struct cds_list_head *release)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct slab *slab = obj_to_slab(s, p[i]);

		slab_put_object(s, slab, slab_obj_index(s, slab, p[i]), release);
	}
}

/* ---- the depot (s->lock held) --------------------------------------- */

static struct magazine *magazine_new(unsigned int size)
{
	struct magazine *m = malloc(sizeof(*m) + size * sizeof(void *));

	if (m) {
		m->nr = 0;
		m->size = size;
		m->next = NULL;
	}
	return m;
}

/* Park an empty magazine in the depot, or free it when enough are. */
static void depot_put_empty(struct kmem_cache *s, struct magazine *m)
{
	if (s->nr_depot_empty >= DEPOT_MAX_EMPTY) {
		free(m);
		return;
	}
	m->next = s->depot_empty;
	s->depot_empty = m;
	s->nr_depot_empty++;
}

/* A magazine a thread gives up: objects to the depot (or to the slabs when
 * the depot is full), the array itself kept or freed. */
static void depot_put(struct kmem_cache *s, struct magazine *m,
		struct cds_list_head *release)
{
	if (m->nr && s->nr_depot_full < DEPOT_MAX_FULL) {
		m->next = s->depot_full;
		s->depot_full = m;
		s->nr_depot_full++;
		return;
	}
	slab_put_objects(s, m->obj, m->nr, release);
	m->nr = 0;
	depot_put_empty(s, m);
}

static struct magazine *depot_pop(struct magazine **list, unsigned int *nr)
{
	struct magazine *m = *list;

	if (m) {
		*list = m->next;
		(*nr)--;
	}
	return m;
}

static struct magazine *depot_get_full(struct kmem_cache *s)
{
	return depot_pop(&s->depot_full, &s->nr_depot_full);
}

static struct magazine *depot_get_empty(struct kmem_cache *s)
{
	return depot_pop(&s->depot_empty, &s->nr_depot_empty);
}

/* Flush the depot's full magazines back to the slabs. */
static void depot_flush(struct kmem_cache *s, struct cds_list_head *release)
{
	struct magazine *m;

	while ((m = depot_get_full(s))) {
		slab_put_objects(s, m->obj, m->nr, release);
		m->nr = 0;
		depot_put_empty(s, m);
	}
}

static void depot_free_empty(struct kmem_cache *s)
{
	struct magazine *m;

	while ((m = depot_get_empty(s)))
		free(m);
}

/* ---- per-thread state ----------------------------------------------- */

/* Hand a thread's magazines for @s to the depot and fold its counters;
 * slab_registry_lock held, takes s->lock. Empty slabs are kept (this runs
 * in thread-exit and fork paths where call_rcu is not safe). */
static void slab_pcpu_drain(struct kmem_cache *s, struct slab_pcpu *pc)
{
	pthread_mutex_lock(&s->lock);
	depot_put(s, pc->main, NULL);
	depot_put(s, pc->spare, NULL);
	s->base_allocs += pc->allocs;
	s->base_frees += pc->frees;
	pthread_mutex_unlock(&s->lock);
	free(pc);
}

static void slab_tls_release(struct slab_tls *t)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++) {
		if (t->pc[i] != &slab_pcpu_none)
			slab_pcpu_drain(t->pc[i]->cache, t->pc[i]);
	}
	cds_list_del(&t->node);
	free(t);
}

/* pthread key destructor: the thread is exiting. */
static void slab_tls_destructor(void *arg)
{
	pthread_mutex_lock(&slab_registry_lock);
	slab_tls_release(arg);
	pthread_mutex_unlock(&slab_registry_lock);
	/* Later frees (other destructors) go to the slabs directly. */
	slab_tls = &slab_tls_dead;
}

static struct slab_tls *slab_tls_create(void)
{
	struct slab_tls *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (pthread_setspecific(slab_tls_key, t)) {
		free(t);
		return NULL;
	}
	pthread_mutex_lock(&slab_registry_lock);
	cds_list_add(&t->node, &slab_registry);
	pthread_mutex_unlock(&slab_registry_lock);
	slab_tls = t;
	return t;
}

/*
 * Make room for slot @id: the slots live inside struct slab_tls (one load
 * less on the fast path), so the thread's state moves. Called by the
 * owner with slab_registry_lock held (other threads only look at it under
 * that lock). Returns the new state, or NULL.
 */
static struct slab_tls *slab_tls_grow(struct slab_tls *t, unsigned int id)
{
	unsigned int i, nr = t->nr ? t->nr : 16;
	struct slab_tls *n;

	while (nr <= id)
		nr *= 2;
	n = malloc(sizeof(*n) + nr * sizeof(n->pc[0]));
	if (!n || pthread_setspecific(slab_tls_key, n)) {
		free(n);
		return NULL;
	}
	n->nr = nr;
	n->dead = false;
	for (i = 0; i < nr; i++)
		n->pc[i] = i < t->nr ? t->pc[i] : &slab_pcpu_none;
	cds_list_replace(&t->node, &n->node);
	slab_tls = n;
	free(t);
	return n;
}

static struct slab_pcpu *slab_pcpu_create(struct slab_tls *t,
		struct kmem_cache *s)
{
	struct slab_pcpu *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pc->cache = s;
	pc->main = magazine_new(s->mag_size);
	pc->spare = magazine_new(s->mag_size);
	if (!pc->main || !pc->spare)
		goto fail;
	pthread_mutex_lock(&slab_registry_lock);
	if (s->id >= t->nr)
		t = slab_tls_grow(t, s->id);
	if (t)
		t->pc[s->id] = pc;
	pthread_mutex_unlock(&slab_registry_lock);
	if (!t)
		goto fail;
	return pc;
fail:
	free(pc->main);
	free(pc->spare);
	free(pc);
	return NULL;
}

/* The calling thread's state for @s, made on first use; NULL when the
 * thread must use the locked path (exiting, or out of memory). */
static struct slab_pcpu *slab_pcpu_get(struct kmem_cache *s)
{
	struct slab_tls *t = slab_tls;

	if (!t) {
		t = slab_tls_create();
		if (!t)
			return NULL;
	}
	if (t->dead)
		return NULL;
	if (s->id < t->nr && t->pc[s->id] != &slab_pcpu_none)
		return t->pc[s->id];
	return slab_pcpu_create(t, s);
}

/* ---- allocation ----------------------------------------------------- */

static void slab_warn_zero_ctor(struct kmem_cache *s)
{
	static int warned;

	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		fprintf(stderr, "kmem_cache_alloc %s: __GFP_ZERO on a cache with "
			"a constructor; object returned constructed, not zeroed\n",
			s->name);
}

/* Valgrind's client requests are cheap but not free: they spill their
 * arguments to the stack, which the fast path cannot afford. Make them
 * only when actually running under Valgrind. */
static __attribute__((noinline)) void slab_vg_alloc(struct kmem_cache *s,
		void *obj)
{
	VALGRIND_MEMPOOL_ALLOC(s, obj, s->object_size);
	/* constructed state, or the poison pattern (slub_debug=P hands out
	 * 0x6b...0xa5), is defined content */
	if (s->ctor || (s->debug & SLAB_DBG_POISON))
		VALGRIND_MAKE_MEM_DEFINED(obj, s->object_size);
}

static __attribute__((noinline)) void slab_vg_free(struct kmem_cache *s,
		void *obj)
{
	slab_vg_free_object(s, obj);
}

static __attribute__((noinline)) void *slab_zero(struct kmem_cache *s,
		void *obj)
{
	if (unlikely(s->ctor))
		slab_warn_zero_ctor(s);
	else
		memset(obj, 0, s->object_size);
	return obj;
}

/* After an object left the allocator (slow path; the fast path inlines
 * the part that is not a hook). */
static void slab_post_alloc(struct kmem_cache *s, void *obj, gfp_t gfp)
{
	slab_asan_unpoison(obj, s->object_size);
	if (unlikely(slab_hooks_get() & SLAB_HOOK_VALGRIND))
		slab_vg_alloc(s, obj);
	if (unlikely(gfp & __GFP_ZERO))
		slab_zero(s, obj);
}

static __attribute__((always_inline)) inline void
slab_pre_free(struct kmem_cache *s, void *obj)
{
	if (unlikely(slab_hooks_get() & SLAB_HOOK_VALGRIND))
		slab_vg_free(s, obj);
	if (!(s->flags & SLAB_TYPESAFE_BY_RCU))
		slab_asan_poison(obj, s->object_size);
}

static void slab_count_fail(struct kmem_cache *s)
{
	__atomic_add_fetch(&s->alloc_fail, 1, __ATOMIC_RELAXED);
}

/* One object from the slab layer under s->lock (debug caches, exiting
 * threads); makes a slab when none has room. */
static void *slab_alloc_locked(struct kmem_cache *s, void *caller)
{
	struct slab *slab = NULL;
	void *obj;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		if (slab)
			slab_add_new(s, slab);
		if (slab_get_objects(s, &obj, 1))
			break;
		pthread_mutex_unlock(&s->lock);
		slab = slab_new(s);
		if (!slab)
			return NULL;
	}
	s->base_allocs++;
	if (s->debug)
		slab_debug_on_alloc(s, obj_to_slab(s, obj), obj, caller);
	pthread_mutex_unlock(&s->lock);
	return obj;
}

/* Fill @m from the depot or the slabs; 0 or -ENOMEM. */
static int slab_refill(struct kmem_cache *s, struct slab_pcpu *pc)
{
	struct slab *slab = NULL;
	struct magazine *full;

	pthread_mutex_lock(&s->lock);
	full = depot_get_full(s);
	if (full) {
		depot_put_empty(s, pc->main);
		pc->main = full;
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	for (;;) {
		if (slab)
			slab_add_new(s, slab);
		pc->main->nr = slab_get_objects(s, pc->main->obj,
						pc->main->size);
		pthread_mutex_unlock(&s->lock);
		if (pc->main->nr)
			return 0;
		slab = slab_new(s);
		if (!slab)
			return -ENOMEM;
		pthread_mutex_lock(&s->lock);
	}
}

static void *slab_alloc_pcpu(struct kmem_cache *s, struct slab_pcpu *pc)
{
	struct magazine *m = pc->main;

	if (!m->nr) {
		if (pc->spare->nr) {
			pc->main = pc->spare;
			pc->spare = m;
		} else if (slab_refill(s, pc)) {
			return NULL;
		}
		m = pc->main;
	}
	__atomic_store_n(&pc->allocs, pc->allocs + 1, __ATOMIC_RELAXED);
	return m->obj[--m->nr];
}

static __attribute__((noinline)) void *
slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, void *caller)
{
	void *obj;

	if (slab_failslab_hook(s->name, s->object_size, gfp)) {
		slab_count_fail(s);
		return NULL;
	}
	for (;;) {
		struct slab_pcpu *pc = NULL;

		if (!s->debug && !__atomic_load_n(&s->dead, __ATOMIC_RELAXED))
			pc = slab_pcpu_get(s);
		obj = pc ? slab_alloc_pcpu(s, pc) : slab_alloc_locked(s, caller);
		if (likely(obj))
			break;
		slab_count_fail(s);
		if (!(gfp & __GFP_NOFAIL))
			return NULL;
		usleep(1000);	/* as the kernel's NOFAIL loop: wait, retry */
	}
	slab_post_alloc(s, obj, gfp);
	return obj;
}

/*
 * The fast path: TLS load, bounds check, two pointer loads, the magazine
 * pop and the owner-only counter. Everything else (hooks, empty
 * magazine, debug caches, a thread's first use) is the slow path.
 */
static __attribute__((always_inline)) inline void *
slab_alloc(struct kmem_cache *s, gfp_t gfp, void *caller)
{
	struct slab_tls *t = slab_tls;

	if (likely(!slab_hooks_get() && t && s->id < t->nr)) {
		struct slab_pcpu *pc = t->pc[s->id];
		struct magazine *m = pc->main;

		if (likely(m->nr)) {
			void *obj = m->obj[--m->nr];

			__atomic_store_n(&pc->allocs, pc->allocs + 1,
					 __ATOMIC_RELAXED);
			slab_asan_unpoison(obj, s->object_size);
			if (unlikely(gfp & __GFP_ZERO))
				return slab_zero(s, obj);
			return obj;
		}
	}
	return slab_alloc_slow(s, gfp, caller);
}

/* ---- free ----------------------------------------------------------- */

static void slab_free_locked(struct kmem_cache *s, void *obj, void *caller)
{
	struct slab_tls *t = slab_tls;
	CDS_LIST_HEAD(release);
	struct slab *slab;
	unsigned int idx;
	bool keep;

	/* an exiting thread must not call_rcu (urcu-bp may be gone) */
	keep = t && t->dead && (s->flags & SLAB_TYPESAFE_BY_RCU);
	if (!s->debug)
		slab_pre_free(s, obj);
	pthread_mutex_lock(&s->lock);
	if (s->debug) {
		slab_debug_check_free(s, obj, caller, &slab, &idx);
	} else {
		slab = obj_to_slab(s, obj);
		idx = slab_obj_index(s, slab, obj);
	}
	s->base_frees++;
	slab_put_object(s, slab, idx, keep ? NULL : &release);
	pthread_mutex_unlock(&s->lock);
	slab_release_list(s, &release);
}

/* The main magazine is full and the spare too: give main to the depot and
 * continue with an empty one (or flush main to the slabs). */
static void slab_flush_main(struct kmem_cache *s, struct slab_pcpu *pc)
{
	struct magazine *e = NULL;
	CDS_LIST_HEAD(release);

	pthread_mutex_lock(&s->lock);
	if (s->nr_depot_full < DEPOT_MAX_FULL && !s->depot_empty) {
		pthread_mutex_unlock(&s->lock);
		e = magazine_new(s->mag_size);
		pthread_mutex_lock(&s->lock);
	}
	if (!e)
		e = depot_get_empty(s);
	if (e && s->nr_depot_full < DEPOT_MAX_FULL) {
		depot_put(s, pc->main, NULL);
		pc->main = e;
		e = NULL;
	} else {
		slab_put_objects(s, pc->main->obj, pc->main->nr, &release);
		pc->main->nr = 0;
	}
	if (e)
		depot_put_empty(s, e);
	pthread_mutex_unlock(&s->lock);
	slab_release_list(s, &release);
}

static __attribute__((noinline)) void
slab_free_slow(struct kmem_cache *s, void *obj, void *caller)
{
	struct slab_pcpu *pc = NULL;
	struct magazine *m;

	if (!s->debug && !__atomic_load_n(&s->dead, __ATOMIC_RELAXED))
		pc = slab_pcpu_get(s);
	if (!pc) {
		slab_free_locked(s, obj, caller);
		return;
	}
	slab_pre_free(s, obj);
	m = pc->main;
	if (m->nr == m->size) {
		if (pc->spare->nr < pc->spare->size) {
			pc->main = pc->spare;
			pc->spare = m;
		} else {
			slab_flush_main(s, pc);
		}
		m = pc->main;
	}
	m->obj[m->nr++] = obj;
	__atomic_store_n(&pc->frees, pc->frees + 1, __ATOMIC_RELAXED);
}

static __attribute__((always_inline)) inline void
slab_free(struct kmem_cache *s, void *obj, void *caller)
{
	struct slab_tls *t = slab_tls;

	if (likely(!(slab_hooks_get() & SLAB_HOOK_VALGRIND) && t &&
		   s->id < t->nr)) {
		struct slab_pcpu *pc = t->pc[s->id];
		struct magazine *m = pc->main;

		if (likely(m->nr < m->size)) {
			if (!(s->flags & SLAB_TYPESAFE_BY_RCU))
				slab_asan_poison(obj, s->object_size);
			m->obj[m->nr] = obj;
			/* slot before count: a fork child reclaims what
			 * this thread's magazines held */
			__asm__ __volatile__("" ::: "memory");
			m->nr++;
			__atomic_store_n(&pc->frees, pc->frees + 1,
					 __ATOMIC_RELAXED);
			return;
		}
	}
	slab_free_slow(s, obj, caller);
}

/* ---- kmalloc -------------------------------------------------------- */

/*
 * A large block for Valgrind: a block of the slab_vg_large mempool (so
 * that errors name it and leaks are found), its header's padding and the
 * arena's rounding after it NOACCESS. The header's magic and size stay
 * readable: kfree() reads them for any pointer. slab_chunk_free() makes
 * the whole usable size defined again.
 */
static __attribute__((noinline)) void slab_vg_large_alloc(
		struct large_hdr *hdr, size_t size, int flags)
{
	char *obj = (char *)hdr + KMALLOC_LARGE_HDR;
	size_t usable = sallocx(hdr, 0);

	VALGRIND_MAKE_MEM_NOACCESS((char *)hdr + sizeof(*hdr),
				   KMALLOC_LARGE_HDR - sizeof(*hdr));
	VALGRIND_MEMPOOL_ALLOC(&slab_vg_large, obj, size);
	if (flags & MALLOCX_ZERO)
		VALGRIND_MAKE_MEM_DEFINED(obj, size);
	VALGRIND_MAKE_MEM_NOACCESS(obj + size,
				   usable - KMALLOC_LARGE_HDR - size);
}

static __attribute__((noinline)) void slab_vg_large_free(const void *obj)
{
	VALGRIND_MEMPOOL_FREE(&slab_vg_large, obj);
}


static void *kmalloc_large(size_t size, gfp_t gfp)
{
	int flags = gfp & __GFP_ZERO ? MALLOCX_ZERO : 0;
	struct large_hdr *hdr;

	if (size > SIZE_MAX - KMALLOC_CHUNK)
		return NULL;
	for (;;) {
		if (slab_failslab_hook("kmalloc-large", size, gfp))
			return NULL;
		hdr = slab_chunk_alloc(size + KMALLOC_LARGE_HDR, KMALLOC_CHUNK,
				       flags);
		if (hdr)
			break;
		if (!(gfp & __GFP_NOFAIL))
			return NULL;
		usleep(1000);
	}
	hdr->magic = SLAB_LARGE_MAGIC;
	hdr->size = size;
	if (unlikely(slab_hooks_get() & SLAB_HOOK_VALGRIND))
		slab_vg_large_alloc(hdr, size, flags);
	return (char *)hdr + KMALLOC_LARGE_HDR;
}

static __attribute__((always_inline)) inline struct kmem_cache *
kmalloc_slab(size_t size)
{
	unsigned int idx;

	if (size <= 192)
		idx = kmalloc_size_index[(size - 1) / 8];
	else
		idx = 63 - __builtin_clzl(size - 1);
	if (unlikely(!kmalloc_caches[idx]))
		slab_init();
	return kmalloc_caches[idx];
}

static __attribute__((always_inline)) inline void *
__kmalloc(size_t size, gfp_t gfp, void *caller)
{
	struct kmem_cache *s;
	char *obj;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	s = kmalloc_slab(size);
	if (unlikely(!s))
		return NULL;
	obj = slab_alloc(s, gfp, caller);
	/* ASan sees exactly what was asked for */
	if (obj)
		slab_asan_poison(obj + size, s->object_size - size);
	return obj;
}

static void kfree_bad(const void *obj, void *caller)
{
	fprintf(stderr, "BUG kfree: invalid pointer %p (not from kmalloc), "
		"caller %p\n", obj, caller);
	abort();
}

static __attribute__((always_inline)) inline void
__kfree(const void *obj, void *caller)
{
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(obj)))
		return;
	slab = (struct slab *)((uintptr_t)obj & ~((uintptr_t)KMALLOC_CHUNK - 1));
	if (likely(slab->magic == SLAB_MAGIC)) {
		slab_free(slab->cache, (void *)obj, caller);
		return;
	}
	if (slab->magic == SLAB_LARGE_MAGIC &&
	    (const char *)obj == (char *)slab + KMALLOC_LARGE_HDR) {
		if (unlikely(slab_hooks_get() & SLAB_HOOK_VALGRIND))
			slab_vg_large_free(obj);
		slab->magic = 0;
		slab_chunk_free(slab, ((struct large_hdr *)slab)->size +
				KMALLOC_LARGE_HDR);
		return;
	}
	kfree_bad(obj, caller);
}

/* ---- cache creation and destruction --------------------------------- */

static int slab_id_alloc(void)
{
	unsigned int i;

	for (i = 0; i < slab_ids_cap; i++) {
		if (!slab_ids[i])
			goto found;
	}
	{
		unsigned int cap = slab_ids_cap ? slab_ids_cap * 2 : 64;
		unsigned char *ids = realloc(slab_ids, cap);

		if (!ids)
			return -ENOMEM;
		memset(ids + slab_ids_cap, 0, cap - slab_ids_cap);
		slab_ids = ids;
		slab_ids_cap = cap;
	}
found:
	slab_ids[i] = 1;
	return i;
}

static unsigned int slab_calc_align(slab_flags_t flags, unsigned int align,
		unsigned int size)
{
	unsigned int a = align ? align : sizeof(void *);

	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int r = CACHE_LINE;

		while (size <= r / 2)
			r /= 2;
		if (r > a)
			a = r;
	}
	if (a < sizeof(void *))
		a = sizeof(void *);
	return a;
}

/* Object, then (debug) red zone and the two user tracks, in one stride. */
static void slab_object_layout(struct kmem_cache *s)
{
	unsigned int sz = ALIGN_UP(s->object_size, (unsigned int)sizeof(void *));

	s->red_offset = s->object_size;
	if (s->debug & SLAB_DBG_RED_ZONE)
		sz += sizeof(void *);
	s->track_offset = sz;
	if (s->debug & SLAB_DBG_STORE_USER)
		sz += 2 * sizeof(struct slab_track);
	s->size = ALIGN_UP(sz, s->align);
}

/*
 * Objects per magazine. A thread holds up to two magazines per cache, so
 * a burst of up to 2 * size allocations (then frees) never leaves the
 * thread: 256 objects of up to 4 KiB, the depth of a socket burst.
 */
static unsigned int slab_mag_size(unsigned int size)
{
	if (size <= 256)
		return 256;
	if (size <= 4096)
		return 128;
	if (size <= 8192)
		return 64;
	return 16;
}

static struct kmem_cache *cache_create(const char *name, unsigned int size,
		unsigned int align, slab_flags_t flags, void (*ctor)(void *),
		bool is_kmalloc)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));
	int id;

	if (!s)
		return NULL;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->object_size = size;
	s->flags = flags;
	s->ctor = ctor;
	s->is_kmalloc = is_kmalloc;
	s->align = slab_calc_align(flags, align, size);
	s->debug = slab_debug_flags_for(s->name, flags);
	/* like SLUB: a constructed or RCU-readable object is not poisoned */
	if (ctor || (flags & SLAB_TYPESAFE_BY_RCU))
		s->debug &= ~SLAB_DBG_POISON;
	slab_object_layout(s);
	slab_set_layout(s);
	if (!s->objs_per_slab)
		goto fail;
	s->mag_size = slab_mag_size(s->size);
	pthread_mutex_init(&s->lock, NULL);
	CDS_INIT_LIST_HEAD(&s->partial);
	CDS_INIT_LIST_HEAD(&s->full);
	CDS_INIT_LIST_HEAD(&s->empty);

	pthread_mutex_lock(&slab_mutex);
	id = slab_id_alloc();
	if (id >= 0) {
		s->id = id;
		cds_list_add_tail(&s->list, &slab_caches);
	}
	pthread_mutex_unlock(&slab_mutex);
	if (id < 0)
		goto fail;
	VALGRIND_CREATE_MEMPOOL(s, 0, 0);
	return s;
fail:
	free(s);
	return NULL;
}

/* Take every empty slab off the lists; s->lock held. */
static void slab_take_empty(struct kmem_cache *s, struct cds_list_head *release)
{
	struct slab *slab, *tmp;

	cds_list_for_each_entry_safe(slab, tmp, &s->empty, node)
		cds_list_move(&slab->node, release);
	s->nr_slabs -= s->nr_empty;
	s->nr_empty = 0;
}

static void slab_arena_purge(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "arena.%u.purge", slab_arena);
	mallctl(buf, NULL, NULL, NULL, 0);
}

/* Flush all magazines of every thread for @s into the cache; slab_mutex
 * held. Callers guarantee that no thread uses @s meanwhile. */
static void slab_reclaim_threads(struct kmem_cache *s)
{
	struct slab_tls *t;

	pthread_mutex_lock(&slab_registry_lock);
	cds_list_for_each_entry(t, &slab_registry, node) {
		if (s->id < t->nr && t->pc[s->id] != &slab_pcpu_none) {
			slab_pcpu_drain(s, t->pc[s->id]);
			t->pc[s->id] = &slab_pcpu_none;
		}
	}
	pthread_mutex_unlock(&slab_registry_lock);
}

/* Depot and empty slabs back to the arena; returns the live objects. */
static long slab_flush_cache(struct kmem_cache *s)
{
	CDS_LIST_HEAD(release);
	long active;

	pthread_mutex_lock(&s->lock);
	depot_flush(s, &release);
	depot_free_empty(s);
	slab_take_empty(s, &release);
	active = s->base_allocs - s->base_frees;
	pthread_mutex_unlock(&s->lock);
	slab_release_list(s, &release);
	return active;
}

static void cache_free(struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < 13; i++) {
		if (kmalloc_caches[i] == s)
			kmalloc_caches[i] = NULL;
	}
	cds_list_del(&s->list);
	slab_ids[s->id] = 0;
	VALGRIND_DESTROY_MEMPOOL(s);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/*
 * Destroy @s unless objects are live. Called with slab_mutex held, which
 * it drops while waiting for the RCU frees of the cache's slabs: the
 * call_rcu worker must be free to run callbacks that take slab locks, and
 * fork() pauses that worker before it takes slab_mutex (kernel/fork.h).
 */
static long cache_shutdown(struct kmem_cache *s)
{
	long active;

	slab_reclaim_threads(s);
	active = slab_flush_cache(s);
	if (s->flags & SLAB_TYPESAFE_BY_RCU) {
		pthread_mutex_unlock(&slab_mutex);
		slab_rcu_wait(s);
		pthread_mutex_lock(&slab_mutex);
	}
	if (active || s->nr_slabs) {
		__atomic_store_n(&s->dead, true, __ATOMIC_RELAXED);
		return active ? active : 1;
	}
	cache_free(s);
	return 0;
}

/* ---- init, fork ----------------------------------------------------- */

static void slab_init_once(void)
{
	size_t sz = sizeof(slab_arena);
	ssize_t decay = 1000;		/* ms */
	char buf[64];
	unsigned int i;

	/*
	 * A private arena. Its dirty pages decay back to the system within
	 * about a second rather than at once: a workload that empties and
	 * refills slabs (SOCK_RCU_FREE sockets come back in 10 ms batches
	 * from liburcu's call_rcu worker) would otherwise fault every page
	 * in again, ~0.3 page faults per raw socket. kmem_cache_shrink()
	 * and kmem_cache_destroy() purge the arena, so RSS still drops at
	 * once when asked; other arenas are unaffected.
	 */
	if (mallctl("arenas.create", &slab_arena, &sz, NULL, 0))
		slab_arena = 0;
	snprintf(buf, sizeof(buf), "arena.%u.dirty_decay_ms", slab_arena);
	mallctl(buf, NULL, NULL, &decay, sizeof(decay));
	snprintf(buf, sizeof(buf), "arena.%u.muzzy_decay_ms", slab_arena);
	mallctl(buf, NULL, NULL, &decay, sizeof(decay));
#ifdef SLAB_VALGRIND
	slab_hooks_set(SLAB_HOOK_VALGRIND, RUNNING_ON_VALGRIND);
	VALGRIND_CREATE_MEMPOOL(&slab_vg_large, 0, 0);
#endif
	pthread_key_create(&slab_tls_key, slab_tls_destructor);
	slab_debug_setup_env();
	failslab_setup_env();
	for (i = 0; i < 13; i++) {
		char name[SLAB_NAME_MAX];
		unsigned int size = kmalloc_sizes[i];

		if (size >= 1024)
			snprintf(name, sizeof(name), "kmalloc-%uk", size >> 10);
		else
			snprintf(name, sizeof(name), "kmalloc-%u", size);
		kmalloc_caches[i] = cache_create(name, size, size & -size, 0,
						 NULL, true);
	}
	/* after jemalloc's (arenas.create above set it up) */
	fork_init();
}

static void slab_init(void)
{
	pthread_once(&slab_once, slab_init_once);
}

/* Early, so that other constructors of the library may kmalloc(). */
__attribute__((constructor(101))) static void slab_constructor(void)
{
	slab_init();
}

void slab_lock_all(void)
{
	struct kmem_cache *s;

	pthread_mutex_lock(&slab_mutex);
	pthread_mutex_lock(&slab_registry_lock);
	cds_list_for_each_entry(s, &slab_caches, list)
		pthread_mutex_lock(&s->lock);
	pthread_mutex_lock(&slab_chunk_lock);
}

void slab_unlock_all(void)
{
	struct kmem_cache *s;

	pthread_mutex_unlock(&slab_chunk_lock);
	cds_list_for_each_entry(s, &slab_caches, list)
		pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&slab_registry_lock);
	pthread_mutex_unlock(&slab_mutex);
}


/* The child has one thread: the locks it took before fork() are released,
 * and the magazines of the threads that did not come along go back to
 * their caches' depots. */
static void slab_atfork_child(void)
{
	struct slab_tls *t, *tmp;

	slab_unlock_all();	/* taken by this thread in slab_lock_all() */
	cds_list_for_each_entry_safe(t, tmp, &slab_registry, node) {
		if (t != slab_tls)
			slab_tls_release(t);
	}
	failslab_atfork_child();
}

/* Innermost of the library's locks (kernel/fork.h). */
FORK_HOOK(slab_fork, FORK_RANK_SLAB, slab_lock_all, slab_unlock_all,
	  slab_atfork_child)

/* ---- statistics helpers --------------------------------------------- */

/* Live objects of @s: folded counters plus every thread's own; the
 * threads' counters are written with relaxed stores, read likewise. */
long slab_count_active(struct kmem_cache *s, long *allocs, long *frees)
{
	struct slab_tls *t;
	long a, f;

	pthread_mutex_lock(&slab_registry_lock);
	pthread_mutex_lock(&s->lock);
	a = s->base_allocs;
	f = s->base_frees;
	cds_list_for_each_entry(t, &slab_registry, node) {
		struct slab_pcpu *pc;

		if (s->id >= t->nr)
			continue;
		pc = t->pc[s->id];
		a += __atomic_load_n(&pc->allocs, __ATOMIC_RELAXED);
		f += __atomic_load_n(&pc->frees, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&slab_registry_lock);
	if (allocs)
		*allocs = a;
	if (frees)
		*frees = f;
	return a - f;
}

/* ---- public API ----------------------------------------------------- */

/* Define the public names themselves; <sockcore/slab.h> sends library
 * callers to the hidden aliases made at the end of this file. */
#undef kmem_cache_alloc
#undef kmem_cache_zalloc
#undef kmem_cache_free
#undef kmalloc
#undef kzalloc
#undef kfree

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
		unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	slab_init();
	if (!name || !size || size > SLAB_MAX_OBJECT)
		return NULL;
	if ((align & (align - 1)) || align > 4096)
		return NULL;
	return cache_create(name, size, align, flags, ctor, false);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	long left;

	if (!s)
		return;
	pthread_mutex_lock(&slab_mutex);
	if (__atomic_load_n(&s->dead, __ATOMIC_RELAXED)) {
		pthread_mutex_unlock(&slab_mutex);
		return;
	}
	left = cache_shutdown(s);
	if (left)
		fprintf(stderr, "kmem_cache_destroy %s: Slab cache still has "
			"objects (%ld remaining) when called from %p\n",
			s->name, left, __builtin_return_address(0));
	pthread_mutex_unlock(&slab_mutex);
	slab_arena_purge();
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return slab_alloc(s, flags, __builtin_return_address(0));
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return slab_alloc(s, flags | __GFP_ZERO, __builtin_return_address(0));
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (likely(obj))
		slab_free(s, obj, __builtin_return_address(0));
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t nr,
		void **p)
{
	void *caller = __builtin_return_address(0);
	size_t i;

	for (i = 0; i < nr; i++) {
		p[i] = slab_alloc(s, flags, caller);
		if (unlikely(!p[i]))
			goto fail;
	}
	return nr;
fail:
	while (i--)
		slab_free(s, p[i], caller);
	return 0;
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p)
{
	void *caller = __builtin_return_address(0);
	size_t i;

	for (i = 0; i < nr; i++) {
		if (p[i])
			slab_free(s, p[i], caller);
	}
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	struct slab_tls *t = slab_tls;
	CDS_LIST_HEAD(release);

	pthread_mutex_lock(&s->lock);
	if (t && s->id < t->nr && t->pc[s->id] != &slab_pcpu_none) {
		struct slab_pcpu *pc = t->pc[s->id];

		slab_put_objects(s, pc->main->obj, pc->main->nr, &release);
		slab_put_objects(s, pc->spare->obj, pc->spare->nr, &release);
		pc->main->nr = 0;
		pc->spare->nr = 0;
	}
	pthread_mutex_unlock(&s->lock);
	slab_release_list(s, &release);
	slab_flush_cache(s);
	slab_arena_purge();
	return 0;
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

void *kmalloc(size_t size, gfp_t flags)
{
	return __kmalloc(size, flags, __builtin_return_address(0));
}

void *kzalloc(size_t size, gfp_t flags)
{
	return __kmalloc(size, flags | __GFP_ZERO, __builtin_return_address(0));
}

void kfree(const void *obj)
{
	__kfree(obj, __builtin_return_address(0));
}

#define SLAB_HIDDEN_DEF(name) \
	__typeof__(name) __sc_##name __attribute__((alias(#name)))
SLAB_HIDDEN_DEF(kmem_cache_alloc);
SLAB_HIDDEN_DEF(kmem_cache_zalloc);
SLAB_HIDDEN_DEF(kmem_cache_free);
SLAB_HIDDEN_DEF(kmalloc);
SLAB_HIDDEN_DEF(kzalloc);
SLAB_HIDDEN_DEF(kfree);
