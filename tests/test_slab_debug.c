/* SPDX-License-Identifier: MIT */
/*
 * Debug caches: double free, red-zone overwrite, poison overwrite, foreign
 * and misaligned pointers, call-site tracking, SOCKCORE_SLAB_DEBUG, and
 * (under ASan) use-after-free of a free object. Each bug is provoked in a
 * forked child; the parent checks the abort and the report text.
 */
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

#define DBG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Exported (the test links with -rdynamic) so that reports can name
 * them: these are the call sites the report must show. */
void *slab_test_alloc_site(struct kmem_cache *s);
void slab_test_free_site(struct kmem_cache *s, void *p);

/* Not tail calls: at -O2 a "return f()" becomes a jump, and the
 * allocator's return address would then be our caller's. */
__attribute__((noinline)) void *slab_test_alloc_site(struct kmem_cache *s)
{
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	__asm__ volatile("" : : "r"(p) : "memory");
	return p;
}

__attribute__((noinline)) void slab_test_free_site(struct kmem_cache *s,
		void *p)
{
	kmem_cache_free(s, p);
	__asm__ volatile("" : : : "memory");
}

static void double_free(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-dbl", 48, 0, DBG_FLAGS,
						 NULL);
	void *p = slab_test_alloc_site(s);

	slab_test_free_site(s, p);
	slab_test_free_site(s, p);
}

static void test_double_free(void **state)
{
	struct child_result r;

	run_in_child(double_free, NULL, &r);
	assert_true(child_aborted_with(&r,
			"BUG t-dbl (Not tainted): Object already free"));
	assert_non_null(strstr(r.out, "INFO: Allocated in slab_test_alloc_site+"));
	assert_non_null(strstr(r.out, "INFO: Freed in slab_test_free_site+"));
	assert_non_null(strstr(r.out, "INFO: Called in slab_test_free_site+"));
	/* the free object was poisoned: 0x6b ... 0xa5 */
	assert_non_null(strstr(r.out, "6b 6b 6b 6b"));
}

static void redzone_write(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-rz", 61, 0, SLAB_RED_ZONE,
						 NULL);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);

	memset(p, 'x', 61);	/* in bounds: no report */
	kmem_cache_free(s, p);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p[61] = 0;		/* one past the end */
	kmem_cache_free(s, p);
}

static void test_redzone(void **state)
{
	struct child_result r;

	if (under_asan())
		skip();	/* ASan reports the overflow itself, first */
	run_in_child(redzone_write, NULL, &r);
	assert_true(child_aborted_with(&r,
			"BUG t-rz (Not tainted): Redzone overwritten"));
	assert_non_null(strstr(r.out, "@offset=61. First byte 0x0 instead of 0xcc"));
	assert_non_null(strstr(r.out, "Redzone"));
}

static void redzone_inactive(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-rz2", 64, 0, SLAB_RED_ZONE,
						 NULL);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[64] = 1;		/* scribble on a free object's red zone */
	kmem_cache_alloc(s, GFP_KERNEL);
}

/* The inactive red zone (0xbb) is checked when the object is handed out. */
static void test_redzone_on_alloc(void **state)
{
	struct child_result r;

	if (under_asan())
		skip();
	run_in_child(redzone_inactive, NULL, &r);
	assert_true(child_aborted_with(&r, "BUG t-rz2 (Not tainted): Redzone "
				       "overwritten"));
	assert_non_null(strstr(r.out, "First byte 0x1 instead of 0xbb"));
}

static void poison_write(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-poison", 100, 0,
						 SLAB_POISON, NULL);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[10] = 'u';		/* use after free */
	kmem_cache_alloc(s, GFP_KERNEL);
}

static void test_poison(void **state)
{
	struct child_result r;

	if (under_asan())
		skip();	/* ASan catches the write itself: test_asan_uaf */
	run_in_child(poison_write, NULL, &r);
	assert_true(child_aborted_with(&r,
			"BUG t-poison (Not tainted): Poison overwritten"));
	assert_non_null(strstr(r.out, "@offset=10. First byte 0x75 instead of 0x6b"));
}

/* A poisoned object reads back 0x6b... 0xa5 when handed out again, and a
 * debug cache keeps working for correct use. */
static void test_poison_pattern(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-pat", 32, 0, DBG_FLAGS,
						 NULL);
	struct kmem_cache_stats st;
	unsigned char *p, *q;
	void *v[500];
	int i;

	assert_non_null(s);
	kmem_cache_get_stats(s, &st);
	assert_true(st.size >= 32 + 8 + 2 * 2 * sizeof(void *));
	p = kmem_cache_alloc(s, GFP_KERNEL);
	for (i = 0; i < 31; i++)
		assert_int_equal(p[i], 0x6b);
	assert_int_equal(p[31], 0xa5);
	kmem_cache_free(s, p);
	q = kmem_cache_zalloc(s, GFP_KERNEL);
	for (i = 0; i < 32; i++)
		assert_int_equal(q[i], 0);
	kmem_cache_free(s, q);
	for (i = 0; i < 500; i++) {
		v[i] = kmem_cache_alloc(s, GFP_KERNEL);
		memset(v[i], i, 32);
	}
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.active_objs, 500);
	for (i = 0; i < 500; i++)
		kmem_cache_free(s, v[i]);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.depot_full, 0);	/* no magazines in debug */
	kmem_cache_destroy(s);
}

static void wrong_cache(void *arg)
{
	struct kmem_cache *a = kmem_cache_create("t-a", 64, 0, DBG_FLAGS, NULL);
	struct kmem_cache *b = kmem_cache_create("t-b", 64, 0, DBG_FLAGS, NULL);

	kmem_cache_free(b, kmem_cache_alloc(a, GFP_KERNEL));
}

static void test_wrong_cache(void **state)
{
	struct child_result r;

	run_in_child(wrong_cache, NULL, &r);
	assert_true(child_aborted_with(&r, "BUG t-b (Not tainted): Wrong slab "
				       "cache. t-b but object is from t-a"));
}

static void misaligned(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-mis", 64, 0, DBG_FLAGS,
						 NULL);
	char *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p + 8);
}

static void test_invalid_pointer(void **state)
{
	struct child_result r;

	run_in_child(misaligned, NULL, &r);
	assert_true(child_aborted_with(&r, "BUG t-mis (Not tainted): Invalid "
				       "object pointer"));
}

/* SOCKCORE_SLAB_DEBUG is read at library start: run this binary again
 * with it set; see child_main(). */
static void run_env_child(const char *env, const char *mode,
		struct child_result *r)
{
	run_self("SOCKCORE_SLAB_DEBUG", env, mode, r);
}

static void test_env_selected(void **state)
{
	struct child_result r;

	run_env_child("FZPU,t-env,kmalloc-6*", "sizes", &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	/* listed caches grow red zone and tracks, others do not */
	assert_non_null(strstr(r.out, "t-env debug=1\n"));
	assert_non_null(strstr(r.out, "t-other debug=0\n"));
	assert_non_null(strstr(r.out, "kmalloc-64 debug=1\n"));
	assert_non_null(strstr(r.out, "kmalloc-128 debug=0\n"));
}

static void test_env_kmalloc_double_free(void **state)
{
	struct child_result r;

	run_env_child("FZPU", "kfree2", &r);
	assert_true(child_aborted_with(&r, "BUG kmalloc-96 (Not tainted): "
				       "Object already free"));
}

static void test_asan_uaf(void **state)
{
#if defined(SOCKCORE_ASAN) || defined(__SANITIZE_ADDRESS__)
	struct child_result r;

	run_env_child("-", "uaf", &r);
	assert_true(WIFSIGNALED(r.status));
	assert_non_null(strstr(r.out, "use-after-poison"));
#else
	skip();
#endif
}

static int child_main(const char *mode)
{
	if (!strcmp(mode, "sizes")) {
		static const char *names[] = { "t-env", "t-other",
					       "kmalloc-64", "kmalloc-128" };
		size_t i;

		kmem_cache_create("t-env", 64, 0, 0, NULL);
		kmem_cache_create("t-other", 64, 0, 0, NULL);
		for (i = 0; i < 4; i++) {
			struct kmem_cache_stats st;

			kmem_cache_get_stats(kmem_cache_find(names[i]), &st);
			printf("%s debug=%d\n", names[i], st.size > st.object_size);
		}
		return 0;
	}
	if (!strcmp(mode, "kfree2")) {
		void *p = kmalloc(90, GFP_KERNEL);

		kfree(p);
		kfree(p);
		return 0;
	}
	if (!strcmp(mode, "uaf")) {
		struct kmem_cache *s = kmem_cache_create("t-uaf", 64, 0, 0, NULL);
		volatile char *p = kmem_cache_alloc(s, GFP_KERNEL);

		kmem_cache_free(s, (void *)p);
		return p[3];
	}
	return 2;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_redzone),
		cmocka_unit_test(test_redzone_on_alloc),
		cmocka_unit_test(test_poison),
		cmocka_unit_test(test_poison_pattern),
		cmocka_unit_test(test_wrong_cache),
		cmocka_unit_test(test_invalid_pointer),
		cmocka_unit_test(test_env_selected),
		cmocka_unit_test(test_env_kmalloc_double_free),
		cmocka_unit_test(test_asan_uaf),
	};

	if (argc > 1)
		return child_main(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
