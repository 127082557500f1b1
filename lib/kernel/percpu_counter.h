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

struct percpu_counter {
	struct pcpu_shard shard[PCPU_SHARDS];
};

/* This thread's shard number (assigned round-robin on first use). */
unsigned int pcpu_shard_id(void);

static inline void percpu_counter_add(struct percpu_counter *c, long v)
{
	__atomic_fetch_add(&c->shard[pcpu_shard_id()].v, v, __ATOMIC_RELAXED);
}

long percpu_counter_sum(const struct percpu_counter *c);

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
