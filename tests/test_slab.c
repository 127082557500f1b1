/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of <sockcore/slab.h>: caches, kmalloc, constructors, zeroing,
 * bulk operations, shrink, destroy, statistics and slabinfo.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <sockcore/slab.h>

#include "test_slab_util.h"

static void test_create_args(void **state)
{
	assert_null(kmem_cache_create(NULL, 64, 0, 0, NULL));
	assert_null(kmem_cache_create("t-zero", 0, 0, 0, NULL));
	assert_null(kmem_cache_create("t-align3", 64, 3, 0, NULL));
	assert_null(kmem_cache_create("t-huge", 64u << 20, 0, 0, NULL));
	kmem_cache_destroy(NULL);
}

static void check_cache(unsigned int size, unsigned int align,
		slab_flags_t flags, unsigned int want_align)
{
	struct kmem_cache *s = kmem_cache_create("t-check", size, align, flags,
						 NULL);
	struct kmem_cache_stats st;
	void *p[300];
	int i;

	assert_non_null(s);
	assert_int_equal(kmem_cache_size(s), size);
	for (i = 0; i < 300; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % want_align, 0);
		memset(p[i], i & 0xff, size);
	}
	for (i = 0; i < 300; i++) {
		assert_int_equal(((unsigned char *)p[i])[size - 1], i & 0xff);
		assert_int_equal(((unsigned char *)p[i])[0], i & 0xff);
	}
	assert_int_equal(kmem_cache_get_stats(s, &st), 0);
	assert_int_equal(st.active_objs, 300);
	assert_true(st.size >= size);
	assert_int_equal(st.size % want_align, 0);
	for (i = 0; i < 300; i++)
		kmem_cache_free(s, p[i]);
	assert_int_equal(kmem_cache_get_stats(s, &st), 0);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.allocs, 300);
	assert_int_equal(st.frees, 300);
	kmem_cache_destroy(s);
}

static void test_sizes_and_alignment(void **state)
{
	check_cache(1, 0, 0, sizeof(void *));
	check_cache(24, 0, 0, sizeof(void *));
	check_cache(100, 0, SLAB_HWCACHE_ALIGN, 64);
	check_cache(24, 0, SLAB_HWCACHE_ALIGN, 32);	/* kernel: halves */
	check_cache(2304, 0, SLAB_HWCACHE_ALIGN, 64);
	check_cache(1000, 256, 0, 256);
	check_cache(70000, 4096, 0, 4096);
}

/* Waste per slab, header included, is at most 3% for 1-2.5 KiB objects. */
static void test_waste(void **state)
{
	static const unsigned int sizes[] = {
		1016, 1024, 1152, 1344, 1472, 1500, 2048, 2304, 2432, 2500,
		2560,
	};
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct kmem_cache *s = kmem_cache_create("t-waste", sizes[i], 0,
							 0, NULL);
		struct kmem_cache_stats st;
		size_t used;

		assert_non_null(s);
		kmem_cache_get_stats(s, &st);
		used = (size_t)st.objs_per_slab * sizes[i];
		assert_true(st.chunk_size >= 65536);
		assert_int_equal(st.chunk_size & (st.chunk_size - 1), 0);
		assert_true((st.chunk_size - used) * 100 <= st.chunk_size * 3);
		assert_int_equal(st.pages_per_slab, st.chunk_size / 4096);
		kmem_cache_destroy(s);
	}
}

static int ctor_calls;

static void count_ctor(void *p)
{
	ctor_calls++;
	memcpy(p, "ctor", 5);
}

/* The constructor runs once per object when its slab is made: allocating
 * and freeing again and again does not run it again. */
static void test_ctor_once(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-ctor", 64, 0, 0,
						 count_ctor);
	struct kmem_cache_stats st;
	void *p;
	int i;

	assert_non_null(s);
	ctor_calls = 0;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(ctor_calls, st.objs_per_slab);
	assert_string_equal(p, "ctor");
	kmem_cache_free(s, p);
	for (i = 0; i < 10000; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		assert_string_equal(p, "ctor");
		kmem_cache_free(s, p);
	}
	assert_int_equal(ctor_calls, st.objs_per_slab);
	/* __GFP_ZERO on a ctor cache: the object stays constructed */
	p = kmem_cache_zalloc(s, GFP_KERNEL);
	assert_non_null(p);
	assert_string_equal(p, "ctor");
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

static void test_zalloc(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-zero", 200, 0, 0, NULL);
	unsigned char *p, *q;
	int i;

	assert_non_null(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0xa5, 200);
	kmem_cache_free(s, p);
	q = kmem_cache_zalloc(s, GFP_KERNEL);
	assert_ptr_equal(p, q);		/* LIFO magazine: the dirty one */
	for (i = 0; i < 200; i++)
		assert_int_equal(q[i], 0);
	kmem_cache_free(s, q);
	q = kmem_cache_alloc(s, GFP_ATOMIC | __GFP_ZERO);
	for (i = 0; i < 200; i++)
		assert_int_equal(q[i], 0);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
}

static void test_bulk(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-bulk", 128, 0, 0, NULL);
	struct kmem_cache_stats st;
	void *p[1000];
	int i, j;

	assert_non_null(s);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 1000, p), 1000);
	for (i = 0; i < 1000; i++) {
		assert_non_null(p[i]);
		for (j = 0; j < i; j += 97)
			assert_ptr_not_equal(p[i], p[j]);
	}
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.active_objs, 1000);
	kmem_cache_free_bulk(s, 1000, p);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.active_objs, 0);
	kmem_cache_destroy(s);
}

/* A failing bulk allocation leaves nothing allocated. */
static void test_bulk_fail(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-bulkfail", 64, 0, 0,
						 NULL);
	struct failslab_attr a = { .probability = 100, .interval = 1,
				   .times = 1 };
	struct kmem_cache_stats st;
	void *p[64];

	assert_non_null(s);
	strcpy(a.cache_filter, "t-bulkfail");
	assert_int_equal(failslab_set(&a), 0);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 64, p), 0);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.alloc_fail, 1);
	assert_int_equal(failslab_injected(), 1);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 64, p), 64);
	kmem_cache_free_bulk(s, 64, p);
	failslab_set(NULL);
	kmem_cache_destroy(s);
}

static void test_kmalloc(void **state)
{
	size_t size;

	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_true(ZERO_OR_NULL_PTR(kmalloc(0, GFP_KERNEL)));
	kfree(kmalloc(0, GFP_KERNEL));
	kfree(NULL);
	for (size = 1; size <= 40000; size += size < 300 ? 1 : 127) {
		unsigned char *p = kmalloc(size, GFP_KERNEL);
		size_t al = 8;

		assert_non_null(p);
		/* power-of-two sizes are naturally aligned, as the kernel's */
		if ((size & (size - 1)) == 0 && size <= 8192)
			al = size < 8 ? 8 : size;
		assert_int_equal((uintptr_t)p % al, 0);
		p[0] = 1;
		p[size - 1] = 2;
		kfree(p);
	}
}

static void test_kzalloc(void **state)
{
	static const size_t sizes[] = { 8, 100, 192, 1000, 8192, 20000,
					1 << 20 };
	size_t i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = kmalloc(sizes[i], GFP_KERNEL);

		memset(p, 0xff, sizes[i]);
		kfree(p);
		p = kzalloc(sizes[i], GFP_KERNEL);
		assert_non_null(p);
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(p[j], 0);
		kfree(p);
	}
}

/* kmalloc sizes land in the kernel's size classes. */
static void test_kmalloc_classes(void **state)
{
	static const struct { size_t size; const char *cache; } t[] = {
		{ 1, "kmalloc-8" }, { 8, "kmalloc-8" }, { 9, "kmalloc-16" },
		{ 33, "kmalloc-64" }, { 65, "kmalloc-96" },
		{ 97, "kmalloc-128" }, { 129, "kmalloc-192" },
		{ 193, "kmalloc-256" }, { 257, "kmalloc-512" },
		{ 600, "kmalloc-1k" }, { 1025, "kmalloc-2k" },
		{ 2049, "kmalloc-4k" }, { 8192, "kmalloc-8k" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s = kmem_cache_find(t[i].cache);
		struct kmem_cache_stats a, b;
		void *p;

		assert_non_null(s);
		kmem_cache_get_stats(s, &a);
		p = kmalloc(t[i].size, GFP_KERNEL);
		kmem_cache_get_stats(s, &b);
		assert_int_equal(b.active_objs, a.active_objs + 1);
		kfree(p);
		kmem_cache_get_stats(s, &b);
		assert_int_equal(b.active_objs, a.active_objs);
	}
}

/* Shrink gives every empty slab back, the thread's magazines included. */
static void test_shrink(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-shrink", 512, 0, 0, NULL);
	struct kmem_cache_stats st;
	void **p = calloc(20000, sizeof(*p));
	int i;

	assert_non_null(s);
	for (i = 0; i < 20000; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_get_stats(s, &st);
	assert_true(st.total_slabs >= 20000 / st.objs_per_slab);
	assert_int_equal(st.active_slabs, st.total_slabs);
	for (i = 0; i < 20000; i += 2)
		kmem_cache_free(s, p[i]);
	for (i = 1; i < 20000; i += 2)
		kmem_cache_free(s, p[i]);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(kmem_cache_shrink(s), 0);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.total_slabs, 0);
	assert_int_equal(st.total_objs, 0);
	assert_int_equal(st.depot_full, 0);
	/* and the cache works afterwards */
	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p[0]);
	kmem_cache_free(s, p[0]);
	free(p);
	kmem_cache_destroy(s);
}

/* A million objects freed and shrunk: resident memory comes back to within
 * 10% of where it started (the private arena purges at once). */
static void test_shrink_rss(void **state)
{
	const long n = 1000000;
	struct kmem_cache *s;
	long base, peak, after, i;
	void **p;

	if (under_sanitizer())
		skip();	/* shadow memory and quarantines own the RSS */
	s = kmem_cache_create("t-rss", 64, 0, 0, NULL);
	assert_non_null(s);
	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	kmem_cache_shrink(s);
	base = rss_bytes();
	p = malloc(n * sizeof(*p));
	assert_non_null(p);
	for (i = 0; i < n; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		memset(p[i], 1, 64);
	}
	peak = rss_bytes();
	assert_true(peak - base >= n * 64);
	for (i = 0; i < n; i++)
		kmem_cache_free(s, p[i]);
	free(p);
	kmem_cache_shrink(s);
	after = rss_bytes();
	print_message("rss: base %ld KiB, peak %ld KiB, after shrink %ld KiB\n",
		      base >> 10, peak >> 10, after >> 10);
	assert_true(after <= base + base / 10);
	kmem_cache_destroy(s);
}

/* Destroy with live objects: the kernel's message and count on stderr,
 * the slabs left alone (the live object stays usable). */
static void destroy_live(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-live", 256, 0, 0, NULL);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);
	char *q = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, kmem_cache_alloc(s, GFP_KERNEL));
	strcpy(p, "still here");
	kmem_cache_destroy(s);
	if (strcmp(p, "still here") || !q)
		_exit(3);
	kmem_cache_free(s, q);	/* objects of a dead cache may be freed */
}

static void test_destroy_live(void **state)
{
	struct child_result r;

	run_in_child(destroy_live, NULL, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_non_null(strstr(r.out, "kmem_cache_destroy t-live: Slab cache "
			       "still has objects (2 remaining)"));
}

static const char slabinfo_head[] = "slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> "
	"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
	"slabdata <active_slabs> <num_slabs> <sharedavail>\n";

static void test_slabinfo(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-info", 2304, 0,
						 SLAB_HWCACHE_ALIGN, NULL);
	char *buf, *line, name[64];
	unsigned long v[11];
	int n, found = 0;
	void *p[3];

	assert_non_null(s);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, p), 3);
	n = slabinfo_snprint(NULL, 0);
	assert_true(n > 100);
	buf = malloc(n + 1);
	assert_int_equal(slabinfo_snprint(buf, n + 1), n);
	assert_int_equal(strlen(buf), n);
	assert_memory_equal(buf, slabinfo_head, strlen(slabinfo_head));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		assert_int_equal(sscanf(line, "%63s %lu %lu %lu %lu %lu : "
				"tunables %lu %lu %lu : slabdata %lu %lu %lu",
				name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				&v[6], &v[7], &v[8], &v[9], &v[10]), 12);
		if (strcmp(name, "t-info"))
			continue;
		found = 1;
		assert_int_equal(v[0], 3);		/* active */
		assert_int_equal(v[2], 2304);		/* objsize */
		assert_int_equal(v[1], v[3] * v[9]);	/* num = per * slabs */
		assert_int_equal(v[8], 1);		/* active slabs */
	}
	assert_true(found);
	free(buf);
	kmem_cache_free_bulk(s, 3, p);
	kmem_cache_destroy(s);
}

/* slabinfo_show() writes what slabinfo_snprint() formats. */
static void test_slabinfo_show(void **state)
{
	FILE *f = tmpfile();
	char *buf, *file;
	long n, len;

	assert_non_null(f);
	assert_int_equal(slabinfo_show(f), 0);
	len = ftell(f);
	rewind(f);
	file = calloc(1, len + 1);
	assert_int_equal(fread(file, 1, len, f), len);
	fclose(f);
	n = slabinfo_snprint(NULL, 0);
	buf = malloc(n + 1);
	slabinfo_snprint(buf, n + 1);
	assert_string_equal(file, buf);
	/* a short buffer is cut, terminated, and the full length returned */
	assert_int_equal(slabinfo_snprint(buf, 10), n);
	assert_string_equal(buf, "slabinfo ");
	assert_int_equal(slabinfo_show(NULL), -EINVAL);
	free(buf);
	free(file);
}

/* Caches are never merged: same size and name, two caches. */
static void test_no_merge(void **state)
{
	struct kmem_cache *a = kmem_cache_create("t-same", 96, 0,
						 SLAB_NO_MERGE, NULL);
	struct kmem_cache *b = kmem_cache_create("t-same", 96, 0, 0, NULL);
	struct kmem_cache_stats sa, sb;
	void *p;

	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	p = kmem_cache_alloc(a, GFP_KERNEL | __GFP_NOWARN);
	kmem_cache_get_stats(a, &sa);
	kmem_cache_get_stats(b, &sb);
	assert_int_equal(sa.active_objs, 1);
	assert_int_equal(sb.active_objs, 0);
	assert_true(sa.flags & SLAB_NO_MERGE);
	kmem_cache_free(a, p);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

static int stop_at_second(struct kmem_cache *s, void *arg)
{
	return ++*(int *)arg == 2 ? 42 : 0;
}

static int count_caches(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(s, &st);
	if (!strncmp(st.name, "kmalloc-", 8))
		(*(int *)arg)++;
	return 0;
}

static void test_find_and_iterate(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-find", 40, 0, 0, NULL);
	int n = 0;

	assert_ptr_equal(kmem_cache_find("t-find"), s);
	assert_null(kmem_cache_find("t-no-such-cache"));
	assert_int_equal(kmem_cache_for_each(count_caches, &n), 0);
	assert_int_equal(n, 13);
	n = 0;
	assert_int_equal(kmem_cache_for_each(stop_at_second, &n), 42);
	assert_int_equal(n, 2);
	kmem_cache_destroy(s);
	assert_null(kmem_cache_find("t-find"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_sizes_and_alignment),
		cmocka_unit_test(test_waste),
		cmocka_unit_test(test_ctor_once),
		cmocka_unit_test(test_zalloc),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_bulk_fail),
		cmocka_unit_test(test_kmalloc),
		cmocka_unit_test(test_kzalloc),
		cmocka_unit_test(test_kmalloc_classes),
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_shrink_rss),
		cmocka_unit_test(test_destroy_live),
		cmocka_unit_test(test_slabinfo),
		cmocka_unit_test(test_slabinfo_show),
		cmocka_unit_test(test_no_merge),
		cmocka_unit_test(test_find_and_iterate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
