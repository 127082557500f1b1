/* SPDX-License-Identifier: MIT */
/*
 * Many threads allocate, pass objects round a ring of queues, and free the
 * objects other threads allocated. Every object carries a checksum of its
 * contents and, in the constructed cache, a state word flipped with an
 * atomic exchange: an object handed out twice shows as LIVE on allocation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sockcore/slab.h>

#include "test_slab_util.h"

#define NTHREADS	4
#define BATCH		48
#define QCAP		4096
#define OBJ_FREE	0x0f4eef4eu
#define OBJ_LIVE	0x11feu

struct obj {
	unsigned int state;	/* OBJ_FREE / OBJ_LIVE, atomic */
	unsigned int owner;
	unsigned long seq;
	unsigned long sum;
	unsigned int len;	/* payload bytes */
	unsigned char kind;	/* 0: cache, 1: kmalloc */
	unsigned char payload[];
};

struct queue {
	pthread_mutex_t lock;
	struct obj *o[QCAP];
	unsigned int head, tail;
};

static struct kmem_cache *cache;
static struct queue queues[NTHREADS];
static unsigned long errors;
static int iterations;

static void obj_ctor(void *p)
{
	((struct obj *)p)->state = OBJ_FREE;
}

static unsigned long checksum(const struct obj *o)
{
	unsigned long h = o->owner * 131ul + o->seq;
	unsigned int i;

	for (i = 0; i < o->len; i++)
		h = h * 31 + o->payload[i];
	return h;
}

static void count_error(void)
{
	__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
}

static struct obj *make(unsigned int me, unsigned long seq)
{
	unsigned int len = 16 + (seq * 7919) % 400;
	struct obj *o;
	unsigned int i;

	if (seq % 3) {
		o = kmem_cache_alloc(cache, GFP_KERNEL);
		if (!o)
			return NULL;
		if (__atomic_exchange_n(&o->state, OBJ_LIVE,
					__ATOMIC_ACQ_REL) != OBJ_FREE)
			count_error();	/* handed out twice, or never freed */
		o->kind = 0;
		len = 200;
	} else {
		o = kmalloc(sizeof(*o) + len, GFP_KERNEL);
		if (!o)
			return NULL;
		o->kind = 1;
	}
	o->owner = me;
	o->seq = seq;
	o->len = len;
	for (i = 0; i < len; i++)
		o->payload[i] = (unsigned char)(seq + i * me);
	o->sum = checksum(o);
	return o;
}

static void consume(struct obj *o)
{
	if (o->sum != checksum(o))
		count_error();
	if (o->kind == 0) {
		if (__atomic_exchange_n(&o->state, OBJ_FREE,
					__ATOMIC_ACQ_REL) != OBJ_LIVE)
			count_error();
		kmem_cache_free(cache, o);
	} else {
		kfree(o);
	}
}

static int push(struct queue *q, struct obj *o)
{
	int ok;

	pthread_mutex_lock(&q->lock);
	ok = q->tail - q->head < QCAP;
	if (ok)
		q->o[q->tail++ % QCAP] = o;
	pthread_mutex_unlock(&q->lock);
	return ok;
}

static struct obj *pop(struct queue *q)
{
	struct obj *o = NULL;

	pthread_mutex_lock(&q->lock);
	if (q->head != q->tail)
		o = q->o[q->head++ % QCAP];
	pthread_mutex_unlock(&q->lock);
	return o;
}

static void *worker(void *arg)
{
	unsigned int me = (uintptr_t)arg;
	struct queue *next = &queues[(me + 1) % NTHREADS];
	unsigned long seq = 0;
	void *bulk[BATCH];
	int it, i;

	for (it = 0; it < iterations; it++) {
		for (i = 0; i < BATCH; i++) {
			struct obj *o = make(me, seq++);

			if (!o) {
				count_error();
				continue;
			}
			if (!push(next, o))
				consume(o);	/* queue full: free locally */
		}
		for (i = 0; i < BATCH; i++) {
			struct obj *o = pop(&queues[me]);

			if (o)
				consume(o);
		}
		/* bulk in between: objects come from the same magazines */
		if (kmem_cache_alloc_bulk(cache, GFP_KERNEL, 8, bulk) != 8)
			count_error();
		for (i = 0; i < 8; i++) {
			struct obj *o = bulk[i];

			if (__atomic_exchange_n(&o->state, OBJ_LIVE,
						__ATOMIC_ACQ_REL) != OBJ_FREE)
				count_error();
			o->state = OBJ_FREE;
		}
		kmem_cache_free_bulk(cache, 8, bulk);
	}
	return NULL;
}

static void test_ring_exchange(void **state)
{
	struct kmem_cache_stats before, after;
	pthread_t t[NTHREADS];
	struct obj *o;
	unsigned int i;

	iterations = under_sanitizer() ? 600 : 2500;
	cache = kmem_cache_create("t-conc", sizeof(struct obj) + 200, 0,
				  SLAB_HWCACHE_ALIGN, obj_ctor);
	assert_non_null(cache);
	for (i = 0; i < NTHREADS; i++)
		pthread_mutex_init(&queues[i].lock, NULL);
	kmem_cache_get_stats(kmem_cache_find("kmalloc-512"), &before);
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker,
						(void *)(uintptr_t)i), 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++) {
		while ((o = pop(&queues[i])))
			consume(o);
	}
	assert_int_equal(errors, 0);
	kmem_cache_get_stats(cache, &after);
	assert_int_equal(after.active_objs, 0);
	assert_true(after.allocs >= (unsigned long)iterations * NTHREADS * 8);
	assert_int_equal(after.allocs, after.frees);
	kmem_cache_get_stats(kmem_cache_find("kmalloc-512"), &after);
	assert_int_equal(after.active_objs, before.active_objs);
	kmem_cache_destroy(cache);
}

/* Threads that start and exit all the time while others free their
 * objects: the thread-exit path races with everything else. */
static void *short_lived(void *arg)
{
	struct obj *o[BATCH];
	int i;

	for (i = 0; i < BATCH; i++)
		o[i] = make(9, i);
	for (i = 0; i < BATCH; i++) {
		if (o[i] && !push(&queues[0], o[i]))
			consume(o[i]);
	}
	return NULL;
}

static void *drainer(void *arg)
{
	int *stop = arg;
	struct obj *o;

	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
		o = pop(&queues[0]);
		if (o)
			consume(o);
	}
	while ((o = pop(&queues[0])))
		consume(o);
	return NULL;
}

static void test_thread_churn(void **state)
{
	struct kmem_cache_stats st;
	pthread_t d, t[8];
	int i, round, stop = 0;

	cache = kmem_cache_create("t-churn", sizeof(struct obj) + 200, 0, 0,
				  obj_ctor);
	assert_non_null(cache);
	assert_int_equal(pthread_create(&d, NULL, drainer, &stop), 0);
	for (round = 0; round < (under_sanitizer() ? 10 : 40); round++) {
		for (i = 0; i < 8; i++)
			pthread_create(&t[i], NULL, short_lived, NULL);
		for (i = 0; i < 8; i++)
			pthread_join(t[i], NULL);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(d, NULL);
	assert_int_equal(errors, 0);
	kmem_cache_get_stats(cache, &st);
	assert_int_equal(st.active_objs, 0);
	kmem_cache_destroy(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_exchange),
		cmocka_unit_test(test_thread_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
