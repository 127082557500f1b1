/* SPDX-License-Identifier: MIT */
/*
 * lib/mm/slab_stats.c - per-cache counters and /proc/slabinfo (mm/slab_common.c
 * cache_show() and slabinfo_show_stats()).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "slab_internal.h"

int kmem_cache_get_stats(struct kmem_cache *s, struct kmem_cache_stats *st)
{
	long allocs, frees, active;

	if (!s || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	active = slab_count_active(s, &allocs, &frees);
	snprintf(st->name, sizeof(st->name), "%s", s->name);
	st->object_size = s->object_size;
	st->size = s->size;
	st->align = s->align;
	st->objs_per_slab = s->objs_per_slab;
	st->chunk_size = s->chunk_size;
	st->pages_per_slab = s->chunk_size / 4096;
	st->magazine_size = s->mag_size;
	st->flags = s->flags;
	st->active_objs = active;
	st->allocs = allocs;
	st->frees = frees;
	st->alloc_fail = __atomic_load_n(&s->alloc_fail, __ATOMIC_RELAXED);
	st->rcu_pending_slabs = __atomic_load_n(&s->rcu_pending,
						 __ATOMIC_ACQUIRE);
	pthread_mutex_lock(&s->lock);
	st->total_slabs = s->nr_slabs;
	st->active_slabs = s->nr_slabs - s->nr_empty;
	st->depot_full = s->nr_depot_full;
	pthread_mutex_unlock(&s->lock);
	st->total_objs = st->total_slabs * s->objs_per_slab;
	return 0;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *s, *found = NULL;

	if (!name)
		return NULL;
	pthread_mutex_lock(&slab_mutex);
	cds_list_for_each_entry(s, &slab_caches, list) {
		if (!s->dead && !strcmp(s->name, name)) {
			found = s;
			break;
		}
	}
	pthread_mutex_unlock(&slab_mutex);
	return found;
}

int kmem_cache_for_each(int (*fn)(struct kmem_cache *s, void *arg), void *arg)
{
	struct kmem_cache *s;
	int ret = 0;

	pthread_mutex_lock(&slab_mutex);
	cds_list_for_each_entry(s, &slab_caches, list) {
		ret = fn(s, arg);
		if (ret)
			break;
	}
	pthread_mutex_unlock(&slab_mutex);
	return ret;
}

/* An output sink: a FILE, or a buffer filled like snprintf(). */
struct slabinfo_out {
	FILE *f;
	char *buf;
	size_t len;
	size_t need;
	int err;
};

static void __attribute__((format(printf, 2, 3)))
slabinfo_printf(struct slabinfo_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (o->f) {
		if (vfprintf(o->f, fmt, ap) < 0)
			o->err = -EIO;
	} else {
		size_t room = o->need < o->len ? o->len - o->need : 0;

		n = vsnprintf(room ? o->buf + o->need : NULL, room, fmt, ap);
		if (n > 0)
			o->need += n;
	}
	va_end(ap);
}

static int slabinfo_one(struct kmem_cache *s, void *arg)
{
	struct slabinfo_out *o = arg;
	struct kmem_cache_stats st;

	kmem_cache_get_stats(s, &st);
	slabinfo_printf(o, "%-17s %6lu %6lu %6u %4u %4u",
			st.name, st.active_objs, st.total_objs, st.size,
			st.objs_per_slab, st.pages_per_slab);
	slabinfo_printf(o, " : tunables %4u %4u %4u",
			st.magazine_size, st.magazine_size, 0u);
	slabinfo_printf(o, " : slabdata %6lu %6lu %6lu\n",
			st.active_slabs, st.total_slabs,
			st.depot_full * st.magazine_size);
	return 0;
}

static int slabinfo_write(struct slabinfo_out *o)
{
	slabinfo_printf(o, "slabinfo - version: 2.1\n");
	slabinfo_printf(o, "# name            <active_objs> <num_objs> "
			"<objsize> <objperslab> <pagesperslab> : tunables "
			"<limit> <batchcount> <sharedfactor> : slabdata "
			"<active_slabs> <num_slabs> <sharedavail>\n");
	kmem_cache_for_each(slabinfo_one, o);
	return o->err;
}

int slabinfo_show(FILE *f)
{
	struct slabinfo_out o = { .f = f };

	if (!f)
		return -EINVAL;
	return slabinfo_write(&o);
}

int slabinfo_snprint(char *buf, size_t len)
{
	struct slabinfo_out o = { .buf = buf, .len = len };

	if (len)
		buf[0] = '\0';
	slabinfo_write(&o);
	return o.need;
}
