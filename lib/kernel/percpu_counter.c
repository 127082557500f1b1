/* SPDX-License-Identifier: MIT */
/*
 * Per-thread-sharded counters (see percpu_counter.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sockcore/slab.h>
#include "kernel/percpu_counter.h"

static unsigned int next_shard;
static __thread unsigned int shard_id_plus1
	__attribute__((tls_model("initial-exec")));

unsigned int pcpu_shard_id(void)
{
	unsigned int id = shard_id_plus1;

	if (__builtin_expect(id == 0, 0)) {
		id = __atomic_fetch_add(&next_shard, 1, __ATOMIC_RELAXED);
		id = (id & (PCPU_SHARDS - 1)) + 1;
		shard_id_plus1 = id;
	}
	return id - 1;
}

long percpu_counter_sum(const struct percpu_counter *c)
{
	long sum = __atomic_load_n(&c->count, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < PCPU_SHARDS; i++)
		sum += __atomic_load_n(&c->shard[i].v, __ATOMIC_RELAXED);
	return sum;
}

int percpu_counter_compare(const struct percpu_counter *c, long rhs)
{
	long est = __atomic_load_n(&c->count, __ATOMIC_RELAXED);
	long slack = (long)PCPU_SHARDS * PCPU_BATCH;

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
	a->rows = kzalloc((size_t)a->stride * PCPU_SHARDS * sizeof(long),
			  GFP_KERNEL);
	return a->rows ? 0 : -ENOMEM;
}

void percpu_array_destroy(struct percpu_array *a)
{
	kfree(a->rows);
	a->rows = NULL;
}

long percpu_array_sum(const struct percpu_array *a, unsigned int i)
{
	long sum = 0;

	for (unsigned int s = 0; s < PCPU_SHARDS; s++)
		sum += __atomic_load_n(&a->rows[(unsigned long)s * a->stride + i],
				       __ATOMIC_RELAXED);
	return sum;
}
