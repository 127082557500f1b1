/* SPDX-License-Identifier: MIT */
/*
 * Threads and fork: a thread's magazines go back to the depot when it
 * exits, remote frees are counted right, and a fork child (forked while
 * another thread was busy in the allocator) has a working allocator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

#include <sockcore/slab.h>

#include "test_slab_util.h"

static void stats(struct kmem_cache *s, struct kmem_cache_stats *st)
{
	assert_int_equal(kmem_cache_get_stats(s, st), 0);
}

struct churn {
	struct kmem_cache *s;
	int n;
	void **out;		/* objects left allocated for the parent */
	int nout;
};

static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	void **p = calloc(c->n, sizeof(*p));
	int i;

	for (i = 0; i < c->n; i++)
		p[i] = kmem_cache_alloc(c->s, GFP_KERNEL);
	for (i = c->nout; i < c->n; i++)
		kmem_cache_free(c->s, p[i]);
	for (i = 0; i < c->nout; i++)
		c->out[i] = p[i];
	free(p);
	return NULL;
}

/* The exiting thread's magazines land in the depot, where the next
 * allocation (here from the main thread) finds them: no new slab. */
static void test_thread_exit_to_depot(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-exit", 256, 0, 0, NULL);
	struct churn c = { .s = s, .n = 100 };
	struct kmem_cache_stats before, after;
	pthread_t t;
	void *p[100];
	int i;

	assert_non_null(s);
	assert_int_equal(pthread_create(&t, NULL, churn_fn, &c), 0);
	pthread_join(t, NULL);
	stats(s, &before);
	assert_int_equal(before.active_objs, 0);
	assert_true(before.depot_full >= 1);
	for (i = 0; i < 100; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	stats(s, &after);
	assert_int_equal(after.total_slabs, before.total_slabs);
	assert_true(after.depot_full < before.depot_full);
	assert_int_equal(after.active_objs, 100);
	for (i = 0; i < 100; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

/* Objects allocated by a thread that has exited and freed here. */
static void test_remote_free(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t-remote", 64, 0, 0, NULL);
	void *out[500];
	struct churn c = { .s = s, .n = 600, .out = out, .nout = 500 };
	struct kmem_cache_stats st;
	pthread_t t;
	int i;

	assert_non_null(s);
	assert_int_equal(pthread_create(&t, NULL, churn_fn, &c), 0);
	pthread_join(t, NULL);
	stats(s, &st);
	assert_int_equal(st.active_objs, 500);
	for (i = 0; i < 500; i++)
		kmem_cache_free(s, out[i]);
	stats(s, &st);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.allocs, 600);
	assert_int_equal(st.frees, 600);
	kmem_cache_destroy(s);
}

/* kmem_cache_destroy() collects objects cached by other live threads. */
struct parked {
	struct kmem_cache *s;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stage;
};

static void *parked_fn(void *arg)
{
	struct parked *pk = arg;
	void *p[40];
	int i;

	for (i = 0; i < 40; i++)
		p[i] = kmem_cache_alloc(pk->s, GFP_KERNEL);
	for (i = 0; i < 40; i++)
		kmem_cache_free(pk->s, p[i]);
	pthread_mutex_lock(&pk->lock);
	pk->stage = 1;
	pthread_cond_broadcast(&pk->cond);
	while (pk->stage != 2)
		pthread_cond_wait(&pk->cond, &pk->lock);
	pthread_mutex_unlock(&pk->lock);
	/* another cache with the id just freed: must start clean */
	pk->s = kmem_cache_create("t-parked2", 64, 0, 0, NULL);
	p[0] = kmem_cache_alloc(pk->s, GFP_KERNEL);
	kmem_cache_free(pk->s, p[0]);
	return NULL;
}

static void test_destroy_with_other_thread_cache(void **state)
{
	struct parked pk = { .lock = PTHREAD_MUTEX_INITIALIZER,
			     .cond = PTHREAD_COND_INITIALIZER };
	struct kmem_cache_stats st;
	pthread_t t;

	pk.s = kmem_cache_create("t-parked", 64, 0, 0, NULL);
	assert_int_equal(pthread_create(&t, NULL, parked_fn, &pk), 0);
	pthread_mutex_lock(&pk.lock);
	while (pk.stage != 1)
		pthread_cond_wait(&pk.cond, &pk.lock);
	/* the thread holds 40 free objects in its magazine, and lives */
	kmem_cache_destroy(pk.s);
	assert_null(kmem_cache_find("t-parked"));	/* really gone */
	pk.stage = 2;
	pthread_cond_broadcast(&pk.cond);
	pthread_mutex_unlock(&pk.lock);
	pthread_join(t, NULL);
	stats(pk.s, &st);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(st.allocs, 1);
	kmem_cache_destroy(pk.s);
}

/* ---- fork ------------------------------------------------------------ */

struct busy {
	struct kmem_cache *s;
	int stop;
	unsigned long rounds;
};

static void *busy_fn(void *arg)
{
	struct busy *b = arg;
	void *p[300];
	int i;

	while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < 300; i++)
			p[i] = i & 1 ? kmalloc(100 + i, GFP_KERNEL) :
				kmem_cache_alloc(b->s, GFP_KERNEL);
		for (i = 0; i < 300; i++) {
			if (i & 1)
				kfree(p[i]);
			else
				kmem_cache_free(b->s, p[i]);
		}
		__atomic_add_fetch(&b->rounds, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* In the child: everything must work, and the counters must be sane. */
static int child_work(struct kmem_cache *s)
{
	struct kmem_cache *n = kmem_cache_create("t-child", 200, 0, 0, NULL);
	struct kmem_cache_stats st0, st;
	void *p[2000];
	int i, round;

	if (!n || kmem_cache_get_stats(s, &st0))
		return 10;
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 2000; i++) {
			p[i] = i % 3 ? kmem_cache_alloc(s, GFP_KERNEL) :
				kmalloc(i + 1, GFP_KERNEL);
			if (!p[i])
				return 11;
			memset(p[i], 0x5a, i % 3 ? 512 : i + 1);
		}
		for (i = 0; i < 2000; i++) {
			if (i % 3)
				kmem_cache_free(s, p[i]);
			else
				kfree(p[i]);
		}
		kmem_cache_free(n, kmem_cache_alloc(n, GFP_KERNEL));
	}
	kmem_cache_get_stats(s, &st);
	if (st.active_objs != st0.active_objs)
		return 12;
	if (kmem_cache_shrink(s))
		return 13;
	kmem_cache_destroy(n);
	return 0;
}

static void test_fork_while_busy(void **state)
{
	struct busy b = { 0 };
	pthread_t t;
	int k;

	b.s = kmem_cache_create("t-fork", 512, 0, 0, NULL);
	assert_non_null(b.s);
	assert_int_equal(pthread_create(&t, NULL, busy_fn, &b), 0);
	while (__atomic_load_n(&b.rounds, __ATOMIC_RELAXED) < 3)
		usleep(1000);
	for (k = 0; k < 5; k++) {
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0)
			_exit(child_work(b.s));
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	__atomic_store_n(&b.stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	kmem_cache_destroy(b.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_exit_to_depot),
		cmocka_unit_test(test_remote_free),
		cmocka_unit_test(test_destroy_with_other_thread_cache),
		cmocka_unit_test(test_fork_while_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
