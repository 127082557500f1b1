/* SPDX-License-Identifier: MIT */
/*
 * lib/mm/slab_debug.c - slub_debug in user space: sanity checks (F), red
 * zones (Z), poisoning (P) and allocating/freeing call sites (U).
 *
 * Debug caches take every allocation and free through the slab layer under
 * s->lock (no magazines, as SLUB's debug caches bypass the per-cpu
 * freelists), so each object is checked at the moment it changes hands.
 * Object layout in a debug cache (one stride):
 *
 *   | object (object_size) | red zone | alloc track | free track | pad |
 *
 * A problem is reported on stderr in the kernel's BUG format, naming the
 * cache, then the process aborts: continuing on a corrupted heap helps no
 * one, and tests observe the abort from a parent process.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "slab_internal.h"

static unsigned int debug_env_flags;	/* from SOCKCORE_SLAB_DEBUG */
static char debug_env_names[256];	/* ",a,b," or "" for every cache */

static unsigned int debug_parse_letters(const char *p, const char *end)
{
	unsigned int f = 0;

	if (p == end)	/* "slub_debug" alone: everything */
		return SLAB_DBG_CONSISTENCY | SLAB_DBG_RED_ZONE |
			SLAB_DBG_POISON | SLAB_DBG_STORE_USER;
	for (; p < end; p++) {
		switch (*p) {
		case 'F': case 'f':
			f |= SLAB_DBG_CONSISTENCY;
			break;
		case 'Z': case 'z':
			f |= SLAB_DBG_RED_ZONE;
			break;
		case 'P': case 'p':
			f |= SLAB_DBG_POISON;
			break;
		case 'U': case 'u':
			f |= SLAB_DBG_STORE_USER;
			break;
		case '-':
			return 0;
		default:	/* other slub_debug letters: not supported */
			break;
		}
	}
	return f;
}

/* "FZPU" (every cache) or "FZPU,TCP,kmalloc-*" (those caches). */
void slab_debug_setup_env(void)
{
	const char *env = getenv("SOCKCORE_SLAB_DEBUG");
	const char *comma;

	if (!env)
		return;
	comma = strchr(env, ',');
	debug_env_flags = debug_parse_letters(env, comma ? comma :
					      env + strlen(env));
	if (comma && comma[1])
		snprintf(debug_env_names, sizeof(debug_env_names), "%s,",
			 comma);
}

/* Does @name appear in the list? A trailing '*' matches a prefix. */
static bool debug_name_listed(const char *name)
{
	const char *p = debug_env_names;

	if (!*p)
		return true;
	while ((p = strchr(p, ',')) && p[1]) {
		const char *e = strchr(++p, ',');
		size_t len = e - p;

		if (len && p[len - 1] == '*') {
			if (!strncmp(name, p, len - 1))
				return true;
		} else if (len == strlen(name) && !strncmp(name, p, len)) {
			return true;
		}
	}
	return false;
}

unsigned int slab_debug_flags_for(const char *name, slab_flags_t flags)
{
	unsigned int d = 0;

	if (flags & SLAB_RED_ZONE)
		d |= SLAB_DBG_RED_ZONE;
	if (flags & SLAB_POISON)
		d |= SLAB_DBG_POISON;
	if (flags & SLAB_STORE_USER)
		d |= SLAB_DBG_STORE_USER;
	if (debug_env_flags && debug_name_listed(name))
		d |= debug_env_flags;
	/* any debugging at all checks pointers and double frees too */
	if (d)
		d |= SLAB_DBG_CONSISTENCY;
	return d;
}

static struct slab_track *obj_track(struct kmem_cache *s, void *obj)
{
	return (struct slab_track *)((char *)obj + s->track_offset);
}

static unsigned int red_size(struct kmem_cache *s)
{
	return s->track_offset - s->red_offset;
}

static void set_track(struct kmem_cache *s, void *obj, int which,
		void *caller)
{
	struct slab_track *t = obj_track(s, obj) + which;

	t->addr = caller;
	t->tid = syscall(SYS_gettid);
}

/* "func+0x1a [libfoo.so]" when the dynamic symbol table knows the site,
 * else "0x... [prog+0x1a2b]" (addr2line material). */
static void print_site(const char *what, void *addr, int tid)
{
	Dl_info info;
	const char *mod;

	if (!addr || !dladdr(addr, &info) || !info.dli_fname) {
		fprintf(stderr, "INFO: %s in %p tid=%d\n", what, addr, tid);
		return;
	}
	mod = strrchr(info.dli_fname, '/');
	mod = mod ? mod + 1 : info.dli_fname;
	if (info.dli_sname)
		fprintf(stderr, "INFO: %s in %s+0x%lx [%s] tid=%d\n", what,
			info.dli_sname,
			(unsigned long)((char *)addr - (char *)info.dli_saddr),
			mod, tid);
	else
		fprintf(stderr, "INFO: %s in %p [%s+0x%lx] tid=%d\n", what,
			addr, mod,
			(unsigned long)((char *)addr - (char *)info.dli_fbase),
			tid);
}

static void print_bytes(const char *label, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(stderr, "%s%-8s %p: ", i ? "\n" : "", label,
				(const void *)(b + i));
		fprintf(stderr, "%02x ", b[i]);
	}
	fprintf(stderr, "\n");
}

static __attribute__((noreturn)) void
slab_bug(struct kmem_cache *s, struct slab *slab, void *obj, void *caller,
		const char *fmt, const char *reason)
{
	fprintf(stderr, "================================================"
		"=============================\n");
	fprintf(stderr, "BUG %s (Not tainted): %s\n", s->name, reason);
	fprintf(stderr, "------------------------------------------------"
		"-----------------------------\n\n");
	if (fmt)
		fprintf(stderr, "%s\n", fmt);
	if (slab) {
		struct slab_track *t = obj_track(s, obj);

		slab_raw_begin(obj, s->size);	/* we are about to dump it */
		fprintf(stderr, "INFO: Slab %p objects=%u used=%u\n",
			(void *)slab, s->objs_per_slab, slab->inuse);
		fprintf(stderr, "INFO: Object %p @offset=%lu\n", obj,
			(unsigned long)((char *)obj - (char *)slab));
		if (s->debug & SLAB_DBG_STORE_USER) {
			print_site("Allocated", t[0].addr, t[0].tid);
			print_site("Freed", t[1].addr, t[1].tid);
		}
		print_bytes("Object", obj, s->object_size < 64 ?
			    s->object_size : 64);
		if (s->debug & SLAB_DBG_RED_ZONE)
			print_bytes("Redzone", (char *)obj + s->red_offset,
				    red_size(s));
	} else {
		fprintf(stderr, "INFO: Object %p\n", obj);
	}
	print_site("Called", caller, (int)syscall(SYS_gettid));
	fflush(stderr);
	abort();
}

/* First byte of [p, p+len) that is not @val, or NULL. */
static unsigned char *check_bytes(void *p, int val, size_t len)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		if (b[i] != val)
			return b + i;
	}
	return NULL;
}

static void check_area(struct kmem_cache *s, struct slab *slab, void *obj,
		void *caller, void *start, int val, size_t len,
		const char *what)
{
	unsigned char *bad = check_bytes(start, val, len);
	char info[160];

	if (!bad)
		return;
	snprintf(info, sizeof(info), "INFO: %p-%p @offset=%lu. First byte "
		 "0x%x instead of 0x%x", (void *)bad,
		 (void *)((char *)start + len - 1),
		 (unsigned long)(bad - (unsigned char *)obj), *bad, val);
	slab_bug(s, slab, obj, caller, info, what);
}

static void poison_object(struct kmem_cache *s, void *obj)
{
	memset(obj, POISON_FREE, s->object_size - 1);
	((unsigned char *)obj)[s->object_size - 1] = POISON_END;
}

static void check_poison(struct kmem_cache *s, struct slab *slab, void *obj,
		void *caller)
{
	check_area(s, slab, obj, caller, obj, POISON_FREE,
		   s->object_size - 1, "Poison overwritten");
	check_area(s, slab, obj, caller, (char *)obj + s->object_size - 1,
		   POISON_END, 1, "Poison overwritten");
}

/* A new slab's object, in the free state (no lock needed: private). */
void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	if (s->debug & SLAB_DBG_POISON)
		poison_object(s, obj);
	if (s->debug & SLAB_DBG_RED_ZONE)
		memset((char *)obj + s->red_offset, RED_INACTIVE, red_size(s));
	if (s->debug & SLAB_DBG_STORE_USER)
		memset(obj_track(s, obj), 0, 2 * sizeof(struct slab_track));
}

/* @obj just left the slab's bitmap (s->lock held): it must be intact. */
void slab_debug_on_alloc(struct kmem_cache *s, struct slab *slab, void *obj,
		void *caller)
{
	slab_raw_begin(obj, s->size);
	if (s->debug & SLAB_DBG_POISON)
		check_poison(s, slab, obj, caller);
	if (s->debug & SLAB_DBG_RED_ZONE) {
		check_area(s, slab, obj, caller, (char *)obj + s->red_offset,
			   RED_INACTIVE, red_size(s), "Redzone overwritten");
		memset((char *)obj + s->red_offset, RED_ACTIVE, red_size(s));
	}
	if (s->debug & SLAB_DBG_STORE_USER)
		set_track(s, obj, 0, caller);
	/* the object is handed out by the caller; metadata stays shut */
	slab_raw_end((char *)obj + s->object_size, s->size - s->object_size);
}

/* Validate a pointer handed to free (s->lock held); reports and aborts on
 * any problem, else marks the object free in debug terms and returns. */
bool slab_debug_check_free(struct kmem_cache *s, void *obj, void *caller,
		struct slab **slabp, unsigned int *idxp)
{
	struct slab *slab = obj_to_slab(s, obj);
	char *base;
	size_t off;
	unsigned int idx;

	if (slab->magic != SLAB_MAGIC)
		slab_bug(s, NULL, obj, caller, NULL,
			 "Invalid object pointer (not in a slab)");
	if (slab->cache != s) {
		char why[128];

		snprintf(why, sizeof(why), "Wrong slab cache. %s but object "
			 "is from %s", s->name, slab->cache->name);
		slab_bug(s, NULL, obj, caller, NULL, why);
	}
	base = slab_objects(s, slab);
	off = (char *)obj - base;
	idx = off / s->size;
	if ((char *)obj < base || off % s->size || idx >= s->objs_per_slab)
		slab_bug(s, NULL, obj, caller, NULL, "Invalid object pointer");
	if (slab->bitmap[idx / (8 * sizeof(long))] &
	    (1UL << (idx % (8 * sizeof(long)))))
		slab_bug(s, slab, obj, caller, NULL, "Object already free");
	slab_raw_begin(obj, s->size);
	if (s->debug & SLAB_DBG_RED_ZONE) {
		check_area(s, slab, obj, caller, (char *)obj + s->red_offset,
			   RED_ACTIVE, red_size(s), "Redzone overwritten");
		memset((char *)obj + s->red_offset, RED_INACTIVE, red_size(s));
	}
	if (s->debug & SLAB_DBG_STORE_USER)
		set_track(s, obj, 1, caller);
	if (s->debug & SLAB_DBG_POISON)
		poison_object(s, obj);
	slab_raw_end(obj, s->size);
	slab_vg_free_object(s, obj);
	*slabp = slab;
	*idxp = idx;
	return true;
}
