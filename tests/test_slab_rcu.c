/* SPDX-License-Identifier: MIT */
/*
 * SLAB_TYPESAFE_BY_RCU: a freed object may be reused at once, but its slab
 * is not given back to jemalloc while an RCU reader (liburcu-bp) that
 * started before the free is still inside rcu_read_lock().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <urcu-bp.h>

#include <sockcore/slab.h>

#include "test_slab_util.h"

struct obj {
	unsigned long cookie;
	char pad[120];
};

static void obj_ctor(void *p)
{
	((struct obj *)p)->cookie = 0xc0ffee;
}

/* A reader thread that holds rcu_read_lock() until told to leave. */
struct reader {
	pthread_t thr;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int inside;
	int leave;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	rcu_read_lock();
	pthread_mutex_lock(&r->lock);
	r->inside = 1;
	pthread_cond_broadcast(&r->cond);
	while (!r->leave)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);
	rcu_read_unlock();
	return NULL;
}

static void reader_start(struct reader *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	assert_int_equal(pthread_create(&r->thr, NULL, reader_fn, r), 0);
	pthread_mutex_lock(&r->lock);
	while (!r->inside)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);
}

static void reader_stop(struct reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->leave = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thr, NULL);
}

static unsigned long pending(struct kmem_cache *s)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(s, &st);
	return st.rcu_pending_slabs;
}

/* Objects come back at once: a free then an alloc returns the same one. */
static void test_reuse_at_once(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-rcu-reuse", 128, 0,
			SLAB_TYPESAFE_BY_RCU, obj_ctor);
	struct obj *a, *b;

	assert_non_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(a, b);
	assert_int_equal(b->cookie, 0xc0ffee);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

static void test_slab_waits_for_reader(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-rcu", 128, 0,
			SLAB_TYPESAFE_BY_RCU, obj_ctor);
	struct kmem_cache_stats st;
	struct reader r;
	struct obj **p;
	unsigned int i, n;

	assert_non_null(s);
	kmem_cache_get_stats(s, &st);
	n = st.objs_per_slab * 3;
	p = calloc(n, sizeof(*p));
	for (i = 0; i < n; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.total_slabs, 3);

	reader_start(&r);	/* a reader that may hold stale pointers */
	for (i = 0; i < n; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_shrink(s);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.total_slabs, 0);
	assert_int_equal(pending(s), 3);
	usleep(200 * 1000);
	/* still not released: the grace period cannot end */
	assert_int_equal(pending(s), 3);
	/* and a stale pointer still reads an object of this type */
	assert_int_equal(p[n / 2]->cookie, 0xc0ffee);

	reader_stop(&r);
	rcu_barrier();
	assert_int_equal(pending(s), 0);
	free(p);
	kmem_cache_destroy(s);
}

struct destroyer {
	struct kmem_cache *s;
	int done;
};

static void *destroy_fn(void *arg)
{
	struct destroyer *d = arg;
	void *p = kmem_cache_alloc(d->s, GFP_KERNEL);

	kmem_cache_free(d->s, p);
	kmem_cache_destroy(d->s);
	__atomic_store_n(&d->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* kmem_cache_destroy() waits for the RCU frees of its cache. */
static void test_destroy_waits(void **state)
{
	struct destroyer d = { 0 };
	struct reader r;
	pthread_t t;

	d.s = kmem_cache_create("t-rcu-destroy", 256, 0,
				SLAB_TYPESAFE_BY_RCU, NULL);
	assert_non_null(d.s);
	reader_start(&r);
	assert_int_equal(pthread_create(&t, NULL, destroy_fn, &d), 0);
	usleep(200 * 1000);
	assert_int_equal(__atomic_load_n(&d.done, __ATOMIC_ACQUIRE), 0);
	reader_stop(&r);
	pthread_join(t, NULL);
	assert_int_equal(d.done, 1);
}

/* Without the flag, an empty slab goes back at once. */
static void test_plain_cache_no_wait(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-norcu", 128, 0, 0, NULL);
	struct kmem_cache_stats st;
	struct reader r;
	void *p;

	reader_start(&r);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	kmem_cache_shrink(s);
	kmem_cache_get_stats(s, &st);
	assert_int_equal(st.total_slabs, 0);
	assert_int_equal(st.rcu_pending_slabs, 0);
	reader_stop(&r);
	kmem_cache_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reuse_at_once),
		cmocka_unit_test(test_slab_waits_for_reader),
		cmocka_unit_test(test_destroy_waits),
		cmocka_unit_test(test_plain_cache_no_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
