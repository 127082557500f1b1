/* SPDX-License-Identifier: MIT */
/*
 * Per-thread-sharded counters: the kernel's percpu_counter, with threads in
 * place of CPUs.
 *
 * A thread claims a shard of its own on first use (up to PCPU_SHARDS
 * threads at a time; a thread's shard is freed when it exits). Only its
 * owner writes a claimed shard, so an update is a plain load and store on
 * the thread's own cache line: no atomic read-modify-write, no line
 * bouncing between threads creating sockets side by side — as this_cpu_add
 * in the kernel. Threads beyond PCPU_SHARDS share a spill shard updated
 * with atomic adds. Readers sum the shards.
 */
#ifndef SOCKCORE_KERNEL_PERCPU_COUNTER_H
#define SOCKCORE_KERNEL_PERCPU_COUNTER_H

#include <stdbool.h>

#define PCPU_SHARDS 16			/* owned shards */
#define PCPU_SPILL PCPU_SHARDS		/* the shared one */
#define PCPU_NR (PCPU_SHARDS + 1)
#define PCPU_LINE 64

struct pcpu_shard {
	long v;
} __attribute__((aligned(PCPU_LINE)));

/* This thread's shard, PCPU_SPILL when it owns none. */
unsigned int __pcpu_claim(void);
extern __thread unsigned int pcpu_shard_plus1
	__attribute__((tls_model("initial-exec")));

static inline unsigned int pcpu_shard_id(void)
{
	unsigned int id = pcpu_shard_plus1;

	return __builtin_expect(id != 0, 1) ? id - 1 : __pcpu_claim();
}

/* Add @v to a slot of shard @id: a plain update if the thread owns it. */
static inline void pcpu_slot_add(long *slot, unsigned int id, long v)
{
	if (__builtin_expect(id != PCPU_SPILL, 1))
		__atomic_store_n(slot, __atomic_load_n(slot, __ATOMIC_RELAXED) + v,
				 __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(slot, v, __ATOMIC_RELAXED);
}

/*
 * A shard's delta is folded into @count once it reaches PCPU_BATCH, so
 * @count alone is an estimate within PCPU_NR * PCPU_BATCH of the sum:
 * limit checks read it and sum the shards only near the limit.
 */
#define PCPU_BATCH 32

struct percpu_counter {
	long count;
	struct pcpu_shard shard[PCPU_NR];
};

static inline void percpu_counter_add(struct percpu_counter *c, long v)
{
	unsigned int id = pcpu_shard_id();
	long *slot = &c->shard[id].v;
	long n;

	pcpu_slot_add(slot, id, v);
	n = __atomic_load_n(slot, __ATOMIC_RELAXED);
	if (__builtin_expect(n >= PCPU_BATCH || n <= -PCPU_BATCH, 0)) {
		n = __atomic_exchange_n(slot, 0, __ATOMIC_RELAXED);
		__atomic_fetch_add(&c->count, n, __ATOMIC_RELAXED);
	}
}

/* Exact when no update races it. */
long percpu_counter_sum(const struct percpu_counter *c);

/* Compare with @rhs: <0, 0, >0, summing the shards only when the estimate
 * is too close to tell (the kernel's __percpu_counter_compare). */
int percpu_counter_compare(const struct percpu_counter *c, long rhs);

/*
 * Sharded arrays: @n longs per shard (e.g. one slot per proto), each
 * shard's row on cache lines of its own.
 */
struct percpu_array {
	unsigned int n, stride;	/* stride: longs per row, line-rounded */
	long *rows;
	void *mem;		/* what was allocated (rows is line-aligned) */
};

int percpu_array_init(struct percpu_array *a, unsigned int n);
void percpu_array_destroy(struct percpu_array *a);

static inline void percpu_array_add(struct percpu_array *a, unsigned int i,
		long v)
{
	unsigned int id = pcpu_shard_id();

	pcpu_slot_add(&a->rows[(unsigned long)id * a->stride + i], id, v);
}

long percpu_array_sum(const struct percpu_array *a, unsigned int i);

#endif /* SOCKCORE_KERNEL_PERCPU_COUNTER_H */
