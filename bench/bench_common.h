/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_common.h - small helpers for the benchmarks: a monotonic
 * clock, median/min/max of repeated rounds, command-line options shared
 * by every benchmark (--quick, --json, --csv, --rounds N), one output
 * format (an aligned table, JSON lines or CSV rows), a progress line on
 * stderr when it is a terminal, and the process limits and memory figures
 * the socket benchmarks need.
 *
 * Measure in interleaved rounds: in each round run every contender once,
 * so that drift on a noisy machine hits all of them alike, then compare
 * per-round ratios rather than ratios of medians (bench_compare()).
 *
 * Output rows, whatever the format, have the same fields:
 *   bench, test, subject, unit, median, min, max
 *   [, versus, ratio_median, ratio_min, ratio_max]
 * "test" is "scenario/parameter" (e.g. "pairs/2048", "create/inet-tcp"):
 * bench/plot.sh splits it at the first '/'.
 */
#ifndef SOCKCORE_BENCH_COMMON_H
#define SOCKCORE_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_MAX_ROUNDS	64

struct bench_opts {
	bool quick;		/* smoke run: few rounds, small counts */
	bool json;		/* JSON lines instead of a table */
	bool csv;		/* CSV rows (with a header) instead of a table */
	bool progress;		/* stderr is a terminal: show a progress line */
	int rounds;		/* interleaved rounds, 1 ... BENCH_MAX_ROUNDS */
	const char *name;	/* the benchmark (program base name) */
	const char *filter;	/* --filter: run tests containing this */
};

struct bench_summary {
	double median;
	double min;
	double max;
};

/* Nanoseconds from CLOCK_MONOTONIC. */
uint64_t bench_now_ns(void);

/* Parse --quick, --json, --csv, --rounds N, --filter S; default @rounds
 * (3 when --quick). Returns 0, or -1 after printing usage. */
int bench_parse_args(int argc, char **argv, struct bench_opts *o,
		int rounds);

/* Whether the test named @test is to run: no --filter, or its name
 * contains the filter string. */
bool bench_wanted(const struct bench_opts *o, const char *test);

/* Median, min and max of @n values (@v is sorted in place). */
void bench_summarize(double *v, size_t n, struct bench_summary *s);

/* One result line: @test and @subject name it, @s is in @unit; @ratio
 * (may be NULL) is a per-round ratio summary against @versus. */
void bench_report(FILE *f, const struct bench_opts *o, const char *test,
		const char *subject, const char *unit,
		const struct bench_summary *s, const char *versus,
		const struct bench_summary *ratio);

/* The table's header, or the CSV header (nothing in JSON mode). */
void bench_report_header(FILE *f, const struct bench_opts *o);

/*
 * bench_compare - report @n contenders measured in the same @rounds:
 * @v[i * BENCH_MAX_ROUNDS + k] is contender @i's figure in round @k (a
 * cost: ns/op or bytes). Each is reported with median/min/max; every
 * contender but @ref also with the per-round ratio v[i][k] / v[ref][k]
 * ("how many times faster/smaller @ref was in that round"), which is
 * stored in @ratios[i] when @ratios is not NULL.
 */
void bench_compare(const struct bench_opts *o, const char *test,
		const char *const *names, int n, int ref, const char *unit,
		const double *v, int rounds, struct bench_summary *ratios);

/* A goal line: @got against @goal (met when got >= goal); nothing when
 * @got <= 0 (not measured). */
void bench_verdict(const struct bench_opts *o, const char *what, double got,
		double goal);

/* printf-style progress line on stderr, rewritten in place; only when
 * stderr is a terminal. bench_progress_done() clears it. */
void bench_progress(const struct bench_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bench_progress_done(const struct bench_opts *o);

/* Raise RLIMIT_NOFILE (soft and, as root, hard) to at least @want, capped
 * by /proc/sys/fs/nr_open. Returns the soft limit now in force. */
unsigned long bench_raise_nofile(unsigned long want);

/* Resident bytes of this process (/proc/self/statm), or -1. */
long bench_rss_bytes(void);

/* MemAvailable of /proc/meminfo in bytes, or -1. */
long bench_mem_available(void);

/* A row "env/<when>" with the machine's 1-minute load average now (other
 * work on a shared machine shows here; quote it with the figures). */
void bench_env(const struct bench_opts *o, const char *when);

/* CPU time of the calling thread in ns (CLOCK_THREAD_CPUTIME_ID). */
uint64_t bench_thread_cpu_ns(void);

/* Keep the compiler from optimising a value away. */
static inline void bench_use(void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

#endif /* SOCKCORE_BENCH_COMMON_H */
