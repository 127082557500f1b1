/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_common.h - small helpers for the benchmarks: a monotonic
 * clock, median/min/max of repeated rounds, command-line options shared
 * by every benchmark (--quick, --json, --rounds N) and one output format
 * (an aligned table, or one JSON object per line).
 *
 * Measure in interleaved rounds: in each round run every contender once,
 * so that drift on a noisy machine hits all of them alike, then compare
 * per-round ratios rather than ratios of medians.
 */
#ifndef SOCKCORE_BENCH_COMMON_H
#define SOCKCORE_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bench_opts {
	bool quick;		/* smoke run: few rounds, small counts */
	bool json;		/* JSON lines instead of a table */
	int rounds;		/* interleaved rounds */
};

struct bench_summary {
	double median;
	double min;
	double max;
};

/* Nanoseconds from CLOCK_MONOTONIC. */
uint64_t bench_now_ns(void);

/* Parse --quick, --json, --rounds N; default @rounds (3 when --quick).
 * Returns 0, or -1 after printing usage. */
int bench_parse_args(int argc, char **argv, struct bench_opts *o,
		int rounds);

/* Median, min and max of @n values (@v is sorted in place). */
void bench_summarize(double *v, size_t n, struct bench_summary *s);

/* One result line: @test and @subject name it, @s is in @unit; @ratio
 * (may be NULL) is a per-round ratio summary against @versus. */
void bench_report(FILE *f, const struct bench_opts *o, const char *test,
		const char *subject, const char *unit,
		const struct bench_summary *s, const char *versus,
		const struct bench_summary *ratio);

/* The table's header (nothing in JSON mode). */
void bench_report_header(FILE *f, const struct bench_opts *o);

/* Keep the compiler from optimising a value away. */
static inline void bench_use(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

#endif /* SOCKCORE_BENCH_COMMON_H */
