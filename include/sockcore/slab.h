/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/slab.h> - object caches (the kernel's kmem_cache API).
 *
 * Every struct sock comes from a per-protocol cache created by
 * proto_register(); everything else the library allocates goes through
 * kmalloc(), which is served by size-class caches ("kmalloc-64", ...).
 * Fault injection (failslab) therefore reaches every allocation site.
 *
 * Thread safety: every function here may be called from any thread at any
 * time, except kmem_cache_destroy(), which the caller must not race with
 * allocations or frees on the same cache.
 *
 * RCU: with SLAB_TYPESAFE_BY_RCU an object may be handed out again at once
 * after kmem_cache_free(), but its memory stays an object of this cache
 * until an RCU grace period (liburcu-bp) has elapsed, so a lockless reader
 * inside rcu_read_lock() may still dereference a stale pointer to it and
 * find an object of the same type (it must then re-validate identity).
 * Such objects are not poisoned (by slab debugging or ASan) when freed.
 *
 * Cost: allocation and free hit a per-thread magazine of object pointers
 * with no lock and no atomic read-modify-write; a free from any thread
 * goes to that thread's own magazine. Objects cached in magazines count
 * as free in the statistics.
 *
 * Environment, read when the library starts:
 *   SOCKCORE_SLAB_DEBUG  slub_debug-like: "FZPU" for every cache, or
 *                        "FZPU,TCP,kmalloc-*" for the caches named
 *                        (F sanity checks, Z red zones, P poisoning,
 *                        U call sites; "-" off). Debug caches skip the
 *                        magazines and report corruption on stderr in the
 *                        kernel's BUG format, then abort().
 *   SOCKCORE_FAILSLAB    fault injection, see struct failslab_attr.
 *
 * fork(): the child may use every function here; objects that other
 * threads of the parent had cached return to their caches.
 */
#ifndef SOCKCORE_SLAB_H
#define SOCKCORE_SLAB_H

#include <stddef.h>
#include <stdio.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;

/* Allocation context. User space never sleeps for reclaim, so GFP_KERNEL
 * and GFP_ATOMIC behave alike; both exist so that code reads as the
 * kernel's does. */
#define GFP_KERNEL	((gfp_t)0x01u)
#define GFP_ATOMIC	((gfp_t)0x02u)
#define __GFP_ZERO	((gfp_t)0x100u)	/* return zeroed memory */
#define __GFP_NOFAIL	((gfp_t)0x200u)	/* never fail: retry; failslab skips */
#define __GFP_NOWARN	((gfp_t)0x400u)	/* no message on failure */

/* What kmalloc(0) returns, as the kernel does. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* Cache flags (kmem_cache_create). */
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000u)
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400u)
#define SLAB_POISON		((slab_flags_t)0x00000800u)
#define SLAB_STORE_USER		((slab_flags_t)0x00010000u)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000u)
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000u)

struct kmem_cache;

/*
 * kmem_cache_create - make a cache of @size-byte objects.
 * @name:  copied (31 characters kept); shown in slabinfo and reports.
 *         Need not be unique.
 * @size:  1 byte to 1 MiB.
 * @align: minimum alignment, 0 or a power of two up to 4096 (0: that of a
 *         pointer); SLAB_HWCACHE_ALIGN raises it to the cache line, or
 *         less for objects of half a line or smaller, as the kernel does.
 * @flags: SLAB_HWCACHE_ALIGN; SLAB_TYPESAFE_BY_RCU; SLAB_RED_ZONE,
 *         SLAB_POISON, SLAB_STORE_USER make a debug cache (slower, every
 *         operation checked under the cache lock); SLAB_NO_MERGE is
 *         accepted and always true here (caches are never merged).
 * @ctor:  runs once per object when its slab is made, never per
 *         allocation; objects must be returned to the cache in the
 *         constructed state. May be NULL. Caches with a constructor or
 *         SLAB_TYPESAFE_BY_RCU are not poisoned.
 * Returns the cache, or NULL (invalid arguments, or out of memory).
 * Thread-safe.
 */
SOCKCORE_API struct kmem_cache *kmem_cache_create(const char *name,
		unsigned int size, unsigned int align, slab_flags_t flags,
		void (*ctor)(void *));

/*
 * kmem_cache_destroy - release a cache and all its memory, including the
 * objects other threads hold in their magazines. Objects still allocated
 * are reported on stderr ("kmem_cache_destroy <name>: Slab cache still has
 * objects (<n> remaining)"), as the kernel does, and then the cache and
 * their slabs are left alone (not freed under their users; the objects
 * may still be freed). Waits for the cache's pending RCU frees, so it must
 * not be called inside rcu_read_lock(). NULL is allowed. The caller must
 * not race it with any other use of @s.
 */
SOCKCORE_API void kmem_cache_destroy(struct kmem_cache *s);

/*
 * Allocate one object; NULL on failure (arena exhausted or failslab),
 * unless __GFP_NOFAIL, which retries every millisecond and is never
 * failed by failslab. __GFP_ZERO zeroes the whole object; on a cache with
 * a constructor that is a caller error (as in the kernel): a warning is
 * printed once and the object comes back constructed, not zeroed.
 * Lock-free and atomic-free on the per-thread fast path.
 */
SOCKCORE_API void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
SOCKCORE_API void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags);

/* Return an object to its cache, from any thread. NULL is allowed. The
 * object must come from @s; debug caches check that and double frees. */
SOCKCORE_API void kmem_cache_free(struct kmem_cache *s, void *obj);

/* Allocate @nr objects into @p: returns @nr, or 0 with nothing allocated
 * (every object already taken is freed again). Frees skip NULL slots. */
SOCKCORE_API int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags,
		size_t nr, void **p);
SOCKCORE_API void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr,
		void **p);

/* Flush the calling thread's magazines and the depot of @s into the slabs
 * and give every empty slab back to the arena (after a grace period for
 * SLAB_TYPESAFE_BY_RCU), whose dirty pages are purged. Other threads'
 * magazines are left alone. Returns 0. */
SOCKCORE_API int kmem_cache_shrink(struct kmem_cache *s);

/* The object size the cache was created with. */
SOCKCORE_API unsigned int kmem_cache_size(struct kmem_cache *s);

/*
 * General-purpose allocation for sites without a cache of their own.
 * Sizes up to 8 KiB come from the caches kmalloc-8 ... kmalloc-8k (the
 * kernel's classes: power-of-two sizes are naturally aligned, every block
 * at least 8-byte aligned); larger ones straight from the arena. kmalloc(0)
 * returns ZERO_SIZE_PTR ((void *)16): not NULL, not dereferenceable.
 * kfree() takes NULL, ZERO_SIZE_PTR and any kmalloc()ed pointer, from any
 * thread; anything else is reported and aborts.
 */
SOCKCORE_API void *kmalloc(size_t size, gfp_t flags);
SOCKCORE_API void *kzalloc(size_t size, gfp_t flags);
SOCKCORE_API void kfree(const void *obj);

/* ---- statistics --------------------------------------------------------
 * Counts are exact when the cache is quiescent: objects sitting in the
 * per-thread magazines or the depot are free, not active. Readers take the
 * cache's lock, never the fast path's, which stays atomic-free. */
struct kmem_cache_stats {
	char name[32];
	unsigned int object_size;	/* as created */
	unsigned int size;		/* stride: object + debug + padding */
	unsigned int align;
	unsigned int objs_per_slab;
	size_t chunk_size;		/* bytes per slab */
	unsigned int pages_per_slab;	/* chunk_size / 4096 */
	unsigned int magazine_size;
	slab_flags_t flags;
	unsigned long active_objs;	/* allocated and not freed */
	unsigned long total_objs;	/* total_slabs * objs_per_slab */
	unsigned long active_slabs;	/* slabs with an object out */
	unsigned long total_slabs;
	unsigned long allocs;		/* successful allocations */
	unsigned long frees;
	unsigned long alloc_fail;	/* failed (arena or failslab) */
	unsigned long depot_full;	/* magazines of objects in the depot */
	unsigned long rcu_pending_slabs;/* freed slabs awaiting a grace period */
};

/* Fill @st for @s; 0, or -EINVAL. Any thread. */
SOCKCORE_API int kmem_cache_get_stats(struct kmem_cache *s,
		struct kmem_cache_stats *st);

/* The first live cache named @name, or NULL. The pointer stays valid until
 * that cache is destroyed. */
SOCKCORE_API struct kmem_cache *kmem_cache_find(const char *name);

/* Call @fn for every cache, in creation order, under the cache-list lock
 * (so @fn must not create or destroy caches). Stops at and returns the
 * first non-zero value @fn returns; 0 otherwise. */
SOCKCORE_API int kmem_cache_for_each(int (*fn)(struct kmem_cache *s,
		void *arg), void *arg);

/* All caches in the /proc/slabinfo version 2.1 format. slabinfo_show()
 * writes to @f and returns 0 or -EIO; slabinfo_snprint() formats into
 * @buf like snprintf() (returns the length the whole text needs). */
SOCKCORE_API int slabinfo_show(FILE *f);
SOCKCORE_API int slabinfo_snprint(char *buf, size_t len);

/* ---- fault injection (the kernel's failslab) ---------------------------
 * Set at first use from SOCKCORE_FAILSLAB, e.g.
 *   "probability=10,interval=1,times=-1,space=0,cache=TCP,verbose=1"
 * (unspecified: probability 100, interval 1, times 1, space 0, all
 * caches), or with failslab_set(). Semantics are the kernel's fault_attr:
 * a call is eligible when it names the filtered cache (any cache if the
 * filter is empty) and is not __GFP_NOFAIL; eligible calls first consume
 * @space bytes; then, with @interval > 1, only every @interval-th counted
 * call may fail, and it fails with @probability percent while @times is
 * not 0 (-1: no limit). kmalloc() goes through the kmalloc-N caches (name
 * "kmalloc-64", ...); larger blocks are named "kmalloc-large". */
struct failslab_attr {
	unsigned int probability;	/* percent, 0 (off) ... 100 */
	unsigned long interval;		/* 0 and 1: every eligible call */
	long times;			/* failures left; -1: unlimited */
	unsigned long space;		/* bytes let through first */
	int verbose;			/* one stderr line per failure */
	char cache_filter[32];		/* "" : every cache */
};

/* Install @attr (NULL: off) and reset the call and failure counts.
 * 0, or -EINVAL. */
SOCKCORE_API int failslab_set(const struct failslab_attr *attr);
SOCKCORE_API int failslab_get(struct failslab_attr *attr);
/* Parse the SOCKCORE_FAILSLAB syntax into @attr; 0 or -EINVAL. */
SOCKCORE_API int failslab_parse(const char *spec, struct failslab_attr *attr);
/* Failures injected since the last failslab_set(). */
SOCKCORE_API unsigned long failslab_injected(void);

/*
 * Inside the library (never in installed users' code) the hot entry points
 * are called through hidden aliases: a direct call, no PLT, no symbol
 * interposition. lib/mm/slab.c defines the aliases.
 */
#ifdef SOCKCORE_BUILDING_LIBRARY
#define SLAB_HIDDEN_PROTO(name) \
	extern __typeof__(name) __sc_##name __attribute__((visibility("hidden")))
SLAB_HIDDEN_PROTO(kmem_cache_alloc);
SLAB_HIDDEN_PROTO(kmem_cache_zalloc);
SLAB_HIDDEN_PROTO(kmem_cache_free);
SLAB_HIDDEN_PROTO(kmalloc);
SLAB_HIDDEN_PROTO(kzalloc);
SLAB_HIDDEN_PROTO(kfree);
#define kmem_cache_alloc(s, flags)	__sc_kmem_cache_alloc(s, flags)
#define kmem_cache_zalloc(s, flags)	__sc_kmem_cache_zalloc(s, flags)
#define kmem_cache_free(s, obj)		__sc_kmem_cache_free(s, obj)
#define kmalloc(size, flags)		__sc_kmalloc(size, flags)
#define kzalloc(size, flags)		__sc_kzalloc(size, flags)
#define kfree(obj)			__sc_kfree(obj)
#endif

SOCKCORE_END_DECLS

#endif /* SOCKCORE_SLAB_H */
