/* SPDX-License-Identifier: MIT */
/*
 * lib/mm/slab_internal.h - the allocator's private structures and the
 * hooks the rest of the library uses. Not installed.
 *
 * Layers, top to bottom (see docs/slab.md):
 *   per-thread magazines (main + spare per cache, no lock, no atomic RMW)
 *   per-cache depot of full and empty magazines (s->lock)
 *   slabs: naturally aligned chunks from a private jemalloc arena (s->lock)
 */
#ifndef SOCKCORE_MM_SLAB_INTERNAL_H
#define SOCKCORE_MM_SLAB_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <urcu-bp.h>
#include <urcu/list.h>
#include <sockcore/slab.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define SLAB_NAME_MAX		32
#define SLAB_MIN_CHUNK		(256u << 10)
#define SLAB_MAX_CHUNK		(16u << 20)
#define SLAB_MAX_OBJECT		(1u << 20)
/* Every kmalloc-N cache uses this chunk size, and large kmalloc blocks are
 * aligned to it, so kfree() finds any header by one mask. 512 KiB keeps
 * kmalloc-8k under 3% waste. */
#define KMALLOC_CHUNK		(512u << 10)
#define KMALLOC_MAX_CACHE_SIZE	8192u
#define KMALLOC_LARGE_HDR	64u

#define SLAB_MAGIC		0x51ab51abu
#define SLAB_LARGE_MAGIC	0x1a26e0b5u

/* Debug options (slub_debug letters). */
#define SLAB_DBG_CONSISTENCY	0x1u	/* F */
#define SLAB_DBG_RED_ZONE	0x2u	/* Z */
#define SLAB_DBG_POISON		0x4u	/* P */
#define SLAB_DBG_STORE_USER	0x8u	/* U */

#define POISON_FREE		0x6b
#define POISON_END		0xa5
#define RED_INACTIVE		0xbb
#define RED_ACTIVE		0xcc

struct magazine {
	unsigned int nr;
	unsigned int size;
	struct magazine *next;		/* depot list */
	void *obj[];
};

/* One thread's state for one cache. allocs/frees are written only by the
 * owner, with relaxed atomic stores (plain moves), and read by stats. */
struct slab_pcpu {
	struct magazine *main;
	struct magazine *spare;
	long allocs;
	long frees;
	struct kmem_cache *cache;
};

/* Everything one thread owns; reached from one initial-exec TLS pointer. */
struct slab_tls {
	unsigned int nr;		/* slots in pc[] */
	bool dead;			/* past its key destructor */
	struct cds_list_head node;	/* slab_registry */
	struct slab_pcpu *pc[];		/* indexed by cache id */
};

struct slab_track {
	void *addr;
	int tid;
};

struct slab {
	uint32_t magic;
	uint32_t inuse;			/* objects out of the slab */
	struct kmem_cache *cache;
	struct cds_list_head node;	/* partial/full/empty list */
	unsigned int hint;		/* first bitmap word that may be set */
	struct rcu_head rcu;
	unsigned long bitmap[];		/* 1 = free object */
};

struct kmem_cache {
	/* read-mostly, used by the fast path */
	unsigned int id;
	unsigned int object_size;	/* what the creator asked for */
	unsigned int size;		/* stride, with debug metadata */
	unsigned int align;
	unsigned int offset;		/* first object from chunk start */
	unsigned int objs_per_slab;
	unsigned int mag_size;
	unsigned int debug;		/* SLAB_DBG_* */
	unsigned int red_offset;	/* red zone start within an object */
	unsigned int track_offset;	/* struct slab_track[2] */
	slab_flags_t flags;
	uintptr_t chunk_mask;
	size_t chunk_size;
	void (*ctor)(void *);
	bool is_kmalloc;
	bool dead;			/* destroyed with objects left */
	char name[SLAB_NAME_MAX];

	/* slow path, under lock */
	pthread_mutex_t lock;
	struct cds_list_head partial;
	struct cds_list_head full;
	struct cds_list_head empty;
	unsigned long nr_slabs;
	unsigned long nr_empty;
	struct magazine *depot_full;
	struct magazine *depot_empty;
	unsigned int nr_depot_full;
	unsigned int nr_depot_empty;
	long base_allocs;		/* exited threads and the locked path */
	long base_frees;
	unsigned long alloc_fail;	/* atomic */
	unsigned long rcu_pending;	/* atomic: slabs waiting for a GP */

	struct cds_list_head list;	/* slab_caches */
};

/* slab.c */
extern pthread_mutex_t slab_mutex;	/* slab_caches, cache ids */
extern struct cds_list_head slab_caches;
extern pthread_mutex_t slab_registry_lock;
extern struct cds_list_head slab_registry;
void slab_lock_all(void);
void slab_unlock_all(void);
long slab_count_active(struct kmem_cache *s, long *allocs, long *frees);

/* slab_debug.c */
unsigned int slab_debug_flags_for(const char *name, slab_flags_t flags);
void slab_debug_on_alloc(struct kmem_cache *s, struct slab *slab, void *obj,
		void *caller);
void slab_debug_on_free(struct kmem_cache *s, struct slab *slab, void *obj,
		void *caller);
void slab_debug_init_object(struct kmem_cache *s, void *obj);
bool slab_debug_check_free(struct kmem_cache *s, void *obj, void *caller,
		struct slab **slabp, unsigned int *idxp);
void slab_debug_setup_env(void);

/*
 * Anything that needs the slow path for every operation sets a bit here:
 * the fast path pays one load and one well-predicted branch for all of
 * them together.
 */
#define SLAB_HOOK_FAILSLAB	0x1	/* allocations: should_failslab() */
#define SLAB_HOOK_VALGRIND	0x2	/* both: mempool client requests */
extern int slab_hooks;

static inline int slab_hooks_get(void)
{
	return __atomic_load_n(&slab_hooks, __ATOMIC_RELAXED);
}

static inline void slab_hooks_set(int bit, bool on)
{
	if (on)
		__atomic_or_fetch(&slab_hooks, bit, __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&slab_hooks, ~bit, __ATOMIC_RELAXED);
}

/* failslab.c */
bool should_failslab(const char *name, size_t size, gfp_t gfp);
void failslab_setup_env(void);
void failslab_atfork_child(void);

static inline bool slab_failslab_hook(const char *name, size_t size,
		gfp_t gfp)
{
	if (unlikely(slab_hooks_get() & SLAB_HOOK_FAILSLAB))
		return should_failslab(name, size, gfp);
	return false;
}

/*
 * Memory-checker annotations. Free objects are poisoned for ASan (not in
 * SLAB_TYPESAFE_BY_RCU caches: reading a freed object is legal there) and
 * described to Valgrind as a mempool per cache; both vanish otherwise.
 */
#if defined(SOCKCORE_ASAN) || defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#define slab_asan_poison(p, n)		ASAN_POISON_MEMORY_REGION(p, n)
#define slab_asan_unpoison(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
/* LeakSanitizer does not scan jemalloc's memory: make our chunks roots,
 * or malloc()ed blocks only pointed to from slab objects would show as
 * leaks. */
#define slab_lsan_register(p, n)	__lsan_register_root_region(p, n)
#define slab_lsan_unregister(p, n)	__lsan_unregister_root_region(p, n)
#else
#define slab_asan_poison(p, n)		((void)(p), (void)(n))
#define slab_asan_unpoison(p, n)	((void)(p), (void)(n))
#define slab_lsan_register(p, n)	((void)(p), (void)(n))
#define slab_lsan_unregister(p, n)	((void)(p), (void)(n))
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>) && __has_include(<valgrind/memcheck.h>)
#define SLAB_VALGRIND 1
#include <valgrind/valgrind.h>
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef SLAB_VALGRIND
#define VALGRIND_CREATE_MEMPOOL(pool, rz, z)	do { } while (0)
#define VALGRIND_DESTROY_MEMPOOL(pool)		do { } while (0)
#define VALGRIND_MEMPOOL_ALLOC(pool, p, n)	do { } while (0)
#define VALGRIND_MEMPOOL_FREE(pool, p)		do { } while (0)
#define VALGRIND_MAKE_MEM_DEFINED(p, n)		do { } while (0)
#define VALGRIND_MAKE_MEM_NOACCESS(p, n)	do { } while (0)
#define VALGRIND_MAKE_MEM_UNDEFINED(p, n)	do { } while (0)
#endif

/* An object goes back to its cache: it leaves the cache's mempool
 * (NOACCESS). In a SLAB_TYPESAFE_BY_RCU cache readers may still read a
 * freed object (as for ASan, it is not poisoned): it stays readable. */
static inline void slab_vg_free_object(struct kmem_cache *s, void *obj)
{
	VALGRIND_MEMPOOL_FREE(s, obj);
	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		VALGRIND_MAKE_MEM_DEFINED(obj, s->object_size);
}

/* The allocator itself touching a free object (debug checks). */
static inline void slab_raw_begin(void *p, size_t n)
{
	slab_asan_unpoison(p, n);
	VALGRIND_MAKE_MEM_DEFINED(p, n);
}

static inline void slab_raw_end(void *p, size_t n)
{
	slab_asan_poison(p, n);
	VALGRIND_MAKE_MEM_NOACCESS(p, n);
}

static inline struct slab *obj_to_slab(struct kmem_cache *s, const void *obj)
{
	return (struct slab *)((uintptr_t)obj & s->chunk_mask);
}

static inline char *slab_objects(struct kmem_cache *s, struct slab *slab)
{
	return (char *)slab + s->offset;
}

#endif /* SOCKCORE_MM_SLAB_INTERNAL_H */
