/* SPDX-License-Identifier: MIT */
/*
 * failslab: the kernel's fault_attr semantics (interval, times, space,
 * probability, cache filter), __GFP_NOFAIL, kmalloc, SOCKCORE_FAILSLAB,
 * and a real arena failure (address-space limit in a child).
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
#include <sys/resource.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <sockcore/slab.h>

#include "test_slab_util.h"

static struct kmem_cache *cache;

static int setup(void **state)
{
	cache = kmem_cache_create("t-fail", 64, 0, 0, NULL);
	return cache ? 0 : -1;
}

static int teardown(void **state)
{
	failslab_set(NULL);
	kmem_cache_destroy(cache);
	return 0;
}

static void set_attr(unsigned int prob, unsigned long interval, long times,
		unsigned long space, const char *filter)
{
	struct failslab_attr a = { .probability = prob, .interval = interval,
				   .times = times, .space = space };

	snprintf(a.cache_filter, sizeof(a.cache_filter), "%s", filter);
	assert_int_equal(failslab_set(&a), 0);
}

/* Allocate @n objects from @s; bit i of the result set when call i failed
 * (calls numbered from 1). Frees everything. */
static uint64_t fail_pattern(struct kmem_cache *s, int n, gfp_t gfp)
{
	void *p[64];
	uint64_t mask = 0;
	int i;

	for (i = 0; i < n; i++) {
		p[i] = kmem_cache_alloc(s, gfp);
		if (!p[i])
			mask |= 1ull << (i + 1);
	}
	for (i = 0; i < n; i++)
		kmem_cache_free(s, p[i]);
	return mask;
}

/* "interval=N,times=1" fails exactly the Nth allocation. */
static void test_nth(void **state)
{
	int n;

	for (n = 1; n <= 40; n++) {
		set_attr(100, n, 1, 0, "t-fail");
		assert_int_equal(fail_pattern(cache, 50, GFP_KERNEL),
				 1ull << n);
		assert_int_equal(failslab_injected(), 1);
	}
}

static void test_interval_unlimited(void **state)
{
	struct kmem_cache_stats a, b;

	kmem_cache_get_stats(cache, &a);
	set_attr(100, 3, -1, 0, "t-fail");
	assert_int_equal(fail_pattern(cache, 10, GFP_KERNEL),
			 (1ull << 3) | (1ull << 6) | (1ull << 9));
	assert_int_equal(failslab_injected(), 3);
	kmem_cache_get_stats(cache, &b);
	assert_int_equal(b.alloc_fail - a.alloc_fail, 3);
	assert_int_equal(b.allocs - a.allocs, 7);
}

static void test_times(void **state)
{
	struct failslab_attr a;

	set_attr(100, 1, 2, 0, "");
	assert_int_equal(fail_pattern(cache, 5, GFP_KERNEL),
			 (1ull << 1) | (1ull << 2));
	assert_int_equal(failslab_get(&a), 0);
	assert_int_equal(a.times, 0);
}

/* space is used up first, in bytes of object size. */
static void test_space(void **state)
{
	set_attr(100, 1, 1, 64 * 4 + 1, "t-fail");
	assert_int_equal(fail_pattern(cache, 8, GFP_KERNEL), 1ull << 5);
}

static void test_probability(void **state)
{
	void *p;
	int i, fails = 0;

	set_attr(0, 1, -1, 0, "");
	assert_int_equal(fail_pattern(cache, 20, GFP_KERNEL), 0);
	set_attr(50, 1, -1, 0, "t-fail");
	for (i = 0; i < 2000; i++) {
		p = kmem_cache_alloc(cache, GFP_KERNEL);
		if (!p)
			fails++;
		kmem_cache_free(cache, p);
	}
	assert_true(fails > 800 && fails < 1200);
	assert_int_equal(failslab_injected(), fails);
}

/* __GFP_NOFAIL is never failed nor counted towards the interval. */
static void test_nofail(void **state)
{
	void *p[4];
	int i;

	set_attr(100, 1, -1, 0, "");
	for (i = 0; i < 4; i++) {
		p[i] = kmem_cache_alloc(cache, GFP_KERNEL | __GFP_NOFAIL);
		assert_non_null(p[i]);
	}
	for (i = 0; i < 4; i++)
		kmem_cache_free(cache, p[i]);
	assert_int_equal(failslab_injected(), 0);
	set_attr(100, 2, 1, 0, "t-fail");
	kmem_cache_free(cache, kmem_cache_alloc(cache, __GFP_NOFAIL));
	kmem_cache_free(cache, kmem_cache_alloc(cache, __GFP_NOFAIL));
	assert_int_equal(fail_pattern(cache, 3, GFP_KERNEL), 1ull << 2);
}

/* The filter names one cache; kmalloc is reached through kmalloc-N. */
static void test_filter_and_kmalloc(void **state)
{
	struct kmem_cache *other = kmem_cache_create("t-other", 64, 0, 0, NULL);
	void *p;

	set_attr(100, 1, -1, 0, "t-fail");
	assert_int_equal(fail_pattern(other, 5, GFP_KERNEL), 0);
	assert_int_equal(fail_pattern(cache, 2, GFP_KERNEL), 6);
	set_attr(100, 1, -1, 0, "kmalloc-64");
	assert_null(kmalloc(50, GFP_KERNEL));
	assert_null(kzalloc(64, GFP_KERNEL));
	p = kmalloc(100, GFP_KERNEL);
	assert_non_null(p);
	kfree(p);
	set_attr(100, 1, -1, 0, "kmalloc-large");
	assert_null(kmalloc(100000, GFP_KERNEL));
	p = kmalloc(100000, GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(p);
	kfree(p);
	/* no filter: every cache */
	set_attr(100, 1, -1, 0, "");
	assert_null(kmalloc(8, GFP_KERNEL));
	assert_null(kmem_cache_alloc(other, GFP_KERNEL));
	failslab_set(NULL);
	kmem_cache_destroy(other);
}

static void test_parse(void **state)
{
	struct failslab_attr a;

	assert_int_equal(failslab_parse("probability=10,interval=4,times=-1,"
					 "space=100,cache=TCP,verbose=1", &a), 0);
	assert_int_equal(a.probability, 10);
	assert_int_equal(a.interval, 4);
	assert_int_equal(a.times, -1);
	assert_int_equal(a.space, 100);
	assert_int_equal(a.verbose, 1);
	assert_string_equal(a.cache_filter, "TCP");
	assert_int_equal(failslab_parse("interval=7", &a), 0);
	assert_int_equal(a.probability, 100);
	assert_int_equal(a.times, 1);
	assert_string_equal(a.cache_filter, "");
	assert_int_equal(failslab_parse("bogus=1", &a), -EINVAL);
	assert_int_equal(failslab_parse("times=x", &a), -EINVAL);
	assert_int_equal(failslab_parse("times", &a), -EINVAL);
	a.probability = 101;
	assert_int_equal(failslab_set(&a), -EINVAL);
}

/* SOCKCORE_FAILSLAB is read at first use: a fresh process. */
static void test_env(void **state)
{
	struct child_result r;

	run_self("SOCKCORE_FAILSLAB", "interval=3,times=1,cache=t-env", "env",
		 &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_string_equal(r.out, "pattern=8 injected=1\n");
}

static void verbose_fail(void *arg)
{
	struct failslab_attr a = { .probability = 100, .interval = 1,
				   .times = 2, .verbose = 1 };

	strcpy(a.cache_filter, "t-fail");
	failslab_set(&a);
	kmem_cache_alloc(cache, GFP_KERNEL);
	kmem_cache_alloc(cache, GFP_KERNEL | __GFP_NOWARN);	/* silent */
}

/* verbose: one line per injected failure, none with __GFP_NOWARN. */
static void test_verbose(void **state)
{
	struct child_result r;
	char *first;

	run_in_child(verbose_fail, NULL, &r);
	assert_true(WIFEXITED(r.status));
	first = strstr(r.out, "FAULT_INJECTION: forcing a failure: cache "
		       "t-fail, size 64\n");
	assert_non_null(first);
	assert_null(strstr(first + 1, "FAULT_INJECTION"));
}

static void arena_exhaust(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("t-oom", 4096, 0, 0, NULL);
	struct kmem_cache_stats st;
	struct rlimit rl;
	long i;

	getrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = 512l << 20;
	if (setrlimit(RLIMIT_AS, &rl))
		_exit(20);
	for (i = 0; i < (1l << 20); i++) {
		if (!kmem_cache_alloc(s, GFP_KERNEL))
			break;
	}
	kmem_cache_get_stats(s, &st);
	fprintf(stderr, "objects=%ld fail=%lu active=%lu\n", i,
		st.alloc_fail, st.active_objs);
	_exit(i < (1l << 20) && st.alloc_fail == 1 &&
	      st.active_objs == (unsigned long)i ? 0 : 21);
}

/* A real arena failure: kmem_cache_alloc() returns NULL and counts it. */
static void test_arena_failure(void **state)
{
	struct child_result r;

	if (under_sanitizer())
		skip();	/* sanitizers reserve terabytes of address space */
	run_in_child(arena_exhaust, NULL, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_non_null(strstr(r.out, "fail=1"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nth),
		cmocka_unit_test(test_interval_unlimited),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_space),
		cmocka_unit_test(test_probability),
		cmocka_unit_test(test_nofail),
		cmocka_unit_test(test_filter_and_kmalloc),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_arena_failure),
	};

	if (argc > 1 && !strcmp(argv[1], "env")) {
		struct kmem_cache *s = kmem_cache_create("t-env", 32, 0, 0,
							 NULL);

		unsigned long long pattern = fail_pattern(s, 6, GFP_KERNEL);

		printf("pattern=%llu injected=%lu\n", pattern,
		       failslab_injected());
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
