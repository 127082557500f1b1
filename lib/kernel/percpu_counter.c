/* SPDX-License-Identifier: MIT */
/*
 * Per-thread-sharded counters (see percpu_counter.h): shard ownership.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sockcore/slab.h>
#include "kernel/percpu_counter.h"

__thread unsigned int pcpu_shard_plus1 __attribute__((tls_model("initial-exec")));

static unsigned int shard_owned;	/* bit n: shard n has an owner */
static pthread_key_t shard_key;
static pthread_once_t shard_key_once = PTHREAD_ONCE_INIT;

/* Thread exit: the shard (and the counts in it) passes to the next owner. */
static void shard_release(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg - 1;

	__atomic_fetch_and(&shard_owned, ~(1u << id), __ATOMIC_RELEASE);
	pcpu_shard_plus1 = 0;
}

static void shard_key_init(void)
{
	pthread_key_create(&shard_key, shard_release);
}

unsigned int __pcpu_claim(void)
{
	unsigned int owned = __atomic_load_n(&shard_owned, __ATOMIC_RELAXED);
	unsigned int id;

	do {
		if (owned == (1u << PCPU_SHARDS) - 1) {
			pcpu_shard_plus1 = PCPU_SPILL + 1;
			return PCPU_SPILL;
		}
		id = (unsigned int)__builtin_ctz(~owned);
	} while (!__atomic_compare_exchange_n(&shard_owned, &owned,
			owned | 1u << id, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	pthread_once(&shard_key_once, shard_key_init);
	pthread_setspecific(shard_key, (void *)(uintptr_t)(id + 1));
	pcpu_shard_plus1 = id + 1;
	return id;
}

long percpu_counter_sum(const struct percpu_counter *c)
{
	long sum = __atomic_load_n(&c->count, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < PCPU_NR; i++)
		sum += __atomic_load_n(&c->shard[i].v, __ATOMIC_RELAXED);
	return sum;
}

int percpu_counter_compare(const struct percpu_counter *c, long rhs)
{
	long est = __atomic_load_n(&c->count, __ATOMIC_RELAXED);
	long slack = (long)PCPU_NR * PCPU_BATCH;

	if (est > rhs + slack)
		return 1;
	if (est < rhs - slack)
		return -1;
	est = percpu_counter_sum(c);
	return (est > rhs) - (est < rhs);
}

int percpu_array_init(struct percpu_array *a, unsigned int n)
{
	unsigned int per_line = PCPU_LINE / sizeof(long);

	a->n = n;
	a->stride = (n + per_line - 1) / per_line * per_line;
	a->mem = kzalloc((size_t)a->stride * PCPU_NR * sizeof(long) + PCPU_LINE,
			 GFP_KERNEL);
	if (!a->mem)
		return -ENOMEM;
	a->rows = (long *)(((uintptr_t)a->mem + PCPU_LINE - 1) &
			   ~(uintptr_t)(PCPU_LINE - 1));
	return 0;
}

void percpu_array_destroy(struct percpu_array *a)
{
	kfree(a->mem);
	a->mem = NULL;
	a->rows = NULL;
}

long percpu_array_sum(const struct percpu_array *a, unsigned int i)
{
	long sum = 0;

	for (unsigned int s = 0; s < PCPU_NR; s++)
		sum += __atomic_load_n(&a->rows[(unsigned long)s * a->stride + i],
				       __ATOMIC_RELAXED);
	return sum;
}
