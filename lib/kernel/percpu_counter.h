/* SPDX-License-Identifier: MIT */
/*
 * Per-thread-sharded counters: the kernel's percpu_counter, with threads in
 * place of CPUs. Each thread adds to its own cache line (a shard picked
 * once per thread), so threads creating sockets side by side do not bounce
 * one counter line between cores. Updates are relaxed atomic adds (two
 * threads may share a shard); reads sum the shards.
 */
#ifndef SOCKCORE_KERNEL_PERCPU_COUNTER_H
#define SOCKCORE_KERNEL_PERCPU_COUNTER_H

#include <stdbool.h>

#define PCPU_SHARDS 16		/* power of two */
#define PCPU_LINE 64

struct pcpu_shard {
	long v;
} __attribute__((aligned(PCPU_LINE)));

/*
 * A shard's delta is folded into @count once it reaches PCPU_BATCH, so
 * @count alone is an estimate within PCPU_SHARDS * PCPU_BATCH of the sum:
 * limit checks read it and sum the shards only near the limit.
 */
#define PCPU_BATCH 32

struct percpu_counter {
	long count;
	struct pcpu_shard shard[PCPU_SHARDS];
};

/* This thread's shard number (assigned round-robin on first use). */
unsigned int pcpu_shard_id(void);

static inline void percpu_counter_add(struct percpu_counter *c, long v)
{
	struct pcpu_shard *s = &c->shard[pcpu_shard_id()];
	long n = __atomic_add_fetch(&s->v, v, __ATOMIC_RELAXED);

	if (__builtin_expect(n >= PCPU_BATCH || n <= -PCPU_BATCH, 0)) {
		n = __atomic_exchange_n(&s->v, 0, __ATOMIC_RELAXED);
		__atomic_fetch_add(&c->count, n, __ATOMIC_RELAXED);
	}
}

/* Exact when no update races it. */
long percpu_counter_sum(const struct percpu_counter *c);

/* Compare with @rhs: <0, 0, >0, summing the shards only when the estimate
 * is too close to tell (the kernel's __percpu_counter_compare). */
int percpu_counter_compare(const struct percpu_counter *c, long rhs);

/*
 * Sharded arrays: @n longs per shard (e.g. one slot per proto), laid out so
 * that each shard's row starts on its own cache line.
 */
struct percpu_array {
	unsigned int n, stride;	/* stride: longs per row, line-rounded */
	long *rows;
};

int percpu_array_init(struct percpu_array *a, unsigned int n);
void percpu_array_destroy(struct percpu_array *a);

static inline void percpu_array_add(struct percpu_array *a, unsigned int i,
		long v)
{
	long *row = a->rows + (unsigned long)pcpu_shard_id() * a->stride;

	__atomic_fetch_add(&row[i], v, __ATOMIC_RELAXED);
}

long percpu_array_sum(const struct percpu_array *a, unsigned int i);

#endif /* SOCKCORE_KERNEL_PERCPU_COUNTER_H */
