/* SPDX-License-Identifier: MIT */
/*
 * bench_rcu - the RCU read-side cost as the creation path sees it: ns per
 * rcu_read_lock()+rcu_read_unlock() pair.
 *
 *   bp-inline     liburcu-bp with _LGPL_SOURCE: the read lock inlined (what
 *                 libsockcore uses, lib/kernel/rcu.h)
 *   bp-call       liburcu-bp's out-of-line functions (what libsockcore
 *                 uses under AddressSanitizer)
 *   memb-inline   liburcu-memb, inlined, on a registered thread (the
 *                 flavour a library cannot use without making its callers
 *                 register their threads)
 *   memb-call     liburcu-memb's out-of-line functions
 *   *-nested      the same pair inside an outer read-side section (the
 *                 creation path nests, e.g. a protocol-switch lookup under
 *                 the family lookup's section)
 *
 * Rounds interleaved; ratio = contender ns / bp-inline ns per round.
 *
 * usage: bench_rcu [--quick] [--json | --csv] [--rounds N] [--filter S]
 */
#define _LGPL_SOURCE
#include <urcu/urcu-bp.h>
#include <urcu/urcu-memb.h>

#include "bench_common.h"

/* The out-of-line functions, past the _LGPL_SOURCE macros. */
extern void (urcu_bp_read_lock)(void);
extern void (urcu_bp_read_unlock)(void);
extern void (urcu_memb_read_lock)(void);
extern void (urcu_memb_read_unlock)(void);

#define DEFINE_PAIRS(tag, LOCK, UNLOCK)					\
static double tag(long n)						\
{									\
	uint64_t t = bench_now_ns();					\
	long i;								\
									\
	for (i = 0; i < n; i++) {					\
		LOCK;							\
		UNLOCK;							\
	}								\
	return (double)(bench_now_ns() - t) / n;			\
}									\
									\
static double tag##_nested(long n)					\
{									\
	double ns;							\
									\
	LOCK;								\
	ns = tag(n);							\
	UNLOCK;								\
	return ns;							\
}

DEFINE_PAIRS(bp_inline, urcu_bp_read_lock(), urcu_bp_read_unlock())
DEFINE_PAIRS(bp_call, (urcu_bp_read_lock)(), (urcu_bp_read_unlock)())
DEFINE_PAIRS(memb_inline, urcu_memb_read_lock(), urcu_memb_read_unlock())
DEFINE_PAIRS(memb_call, (urcu_memb_read_lock)(), (urcu_memb_read_unlock)())

enum { BP_INLINE, BP_CALL, MEMB_INLINE, MEMB_CALL, BP_INLINE_NESTED,
       BP_CALL_NESTED, MEMB_INLINE_NESTED, MEMB_CALL_NESTED,
       NR_CONTENDERS };

static double (*const fn[NR_CONTENDERS])(long n) = {
	bp_inline, bp_call, memb_inline, memb_call, bp_inline_nested,
	bp_call_nested, memb_inline_nested, memb_call_nested,
};

static const char *const names[NR_CONTENDERS] = {
	"bp-inline", "bp-call", "memb-inline", "memb-call",
	"bp-inline-nested", "bp-call-nested", "memb-inline-nested",
	"memb-call-nested",
};

int main(int argc, char **argv)
{
	static double v[NR_CONTENDERS][BENCH_MAX_ROUNDS];
	struct bench_opts opts;
	long n;
	int i, k;

	if (bench_parse_args(argc, argv, &opts, 11))
		return 2;
	if (!bench_wanted(&opts, "rcu/read-pair"))
		return 0;
	n = opts.quick ? 1000000 : 20000000;
	urcu_memb_register_thread();
	urcu_bp_register_thread();
	for (i = 0; i < NR_CONTENDERS; i++)
		fn[i](n / 10);	/* warm up */
	for (k = 0; k < opts.rounds; k++) {
		bench_progress(&opts, "round %d/%d", k + 1, opts.rounds);
		for (i = 0; i < NR_CONTENDERS; i++)
			v[i][k] = fn[i](n);
	}
	bench_report_header(stdout, &opts);
	bench_env(&opts, "end");
	bench_compare(&opts, "rcu/read-pair", names, NR_CONTENDERS, BP_INLINE,
		      "ns/pair", &v[0][0], opts.rounds, NULL);
	urcu_memb_unregister_thread();
	return 0;
}
