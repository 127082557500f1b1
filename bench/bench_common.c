/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bench_common.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int bench_parse_args(int argc, char **argv, struct bench_opts *o, int rounds)
{
	const char *slash = strrchr(argv[0], '/');
	int i;

	memset(o, 0, sizeof(*o));
	o->rounds = rounds;
	o->name = slash ? slash + 1 : argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			o->quick = true;
			o->rounds = 3;
		} else if (!strcmp(argv[i], "--json")) {
			o->json = true;
		} else if (!strcmp(argv[i], "--csv")) {
			o->csv = true;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			o->rounds = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--filter") && i + 1 < argc) {
			o->filter = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--quick] [--json | --csv] "
				"[--rounds N] [--filter TEST-SUBSTRING]\n",
				argv[0]);
			return -1;
		}
	}
	if (o->rounds < 1)
		o->rounds = 1;
	if (o->rounds > BENCH_MAX_ROUNDS)
		o->rounds = BENCH_MAX_ROUNDS;
	o->progress = isatty(STDERR_FILENO);
	return 0;
}

bool bench_wanted(const struct bench_opts *o, const char *test)
{
	return !o->filter || strstr(test, o->filter);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_summarize(double *v, size_t n, struct bench_summary *s)
{
	qsort(v, n, sizeof(*v), cmp_double);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_report_header(FILE *f, const struct bench_opts *o)
{
	if (o->json)
		return;
	if (o->csv) {
		fprintf(f, "bench,test,subject,unit,median,min,max,versus,"
			"ratio_median,ratio_min,ratio_max\n");
		return;
	}
	fprintf(f, "%-27s %-24s %10s %10s %10s %-9s | %-16s %7s %7s %7s\n",
		"test", "subject", "median", "min", "max", "unit",
		"ratio vs", "median", "min", "max");
}

void bench_report(FILE *f, const struct bench_opts *o, const char *test,
		const char *subject, const char *unit,
		const struct bench_summary *s, const char *versus,
		const struct bench_summary *ratio)
{
	bench_progress_done(o);
	if (o->json) {
		fprintf(f, "{\"bench\":\"%s\",\"test\":\"%s\",\"subject\":\"%s\","
			"\"unit\":\"%s\",\"median\":%.3f,\"min\":%.3f,"
			"\"max\":%.3f", o->name, test, subject, unit,
			s->median, s->min, s->max);
		if (ratio)
			fprintf(f, ",\"versus\":\"%s\",\"ratio_median\":%.3f,"
				"\"ratio_min\":%.3f,\"ratio_max\":%.3f", versus,
				ratio->median, ratio->min, ratio->max);
		fprintf(f, "}\n");
	} else if (o->csv) {
		fprintf(f, "%s,%s,%s,%s,%.3f,%.3f,%.3f", o->name, test,
			subject, unit, s->median, s->min, s->max);
		if (ratio)
			fprintf(f, ",%s,%.3f,%.3f,%.3f\n", versus,
				ratio->median, ratio->min, ratio->max);
		else
			fprintf(f, ",,,,\n");
	} else {
		fprintf(f, "%-27s %-24s %10.2f %10.2f %10.2f %-9s", test,
			subject, s->median, s->min, s->max, unit);
		if (ratio)
			fprintf(f, " | %-16s %7.2f %7.2f %7.2f", versus,
				ratio->median, ratio->min, ratio->max);
		fprintf(f, "\n");
	}
	fflush(f);
}

void bench_compare(const struct bench_opts *o, const char *test,
		const char *const *names, int n, int ref, const char *unit,
		const double *v, int rounds, struct bench_summary *ratios)
{
	const double *r = v + ref * BENCH_MAX_ROUNDS;
	double tmp[BENCH_MAX_ROUNDS], ratio[BENCH_MAX_ROUNDS];
	struct bench_summary s, q;
	int i, k;

	for (i = 0; i < n; i++) {
		const double *x = v + i * BENCH_MAX_ROUNDS;

		for (k = 0; k < rounds; k++) {
			tmp[k] = x[k];
			ratio[k] = x[k] / r[k];
		}
		bench_summarize(tmp, rounds, &s);
		bench_summarize(ratio, rounds, &q);
		bench_report(stdout, o, test, names[i], unit, &s,
			     i == ref ? NULL : names[ref],
			     i == ref ? NULL : &q);
		if (ratios)
			ratios[i] = q;
	}
}

void bench_verdict(const struct bench_opts *o, const char *what, double got,
		double goal)
{
	const char *met = got >= goal ? "met" : "NOT met";

	if (got <= 0)
		return;		/* not measured (--filter, or skipped) */
	bench_progress_done(o);
	if (o->json)
		printf("{\"bench\":\"%s\",\"goal\":\"%s\",\"value\":%.2f,"
		       "\"target\":%.2f,\"met\":%s}\n", o->name, what, got,
		       goal, got >= goal ? "true" : "false");
	else if (o->csv)
		printf("%s,goal,%s,%s,%.3f,%.3f,%.3f,target,%.3f,%.3f,%.3f\n",
		       o->name, what, met, got, got, got, goal, goal, goal);
	else
		printf("%-52s %7.2f (goal >= %.2f) %s\n", what, got, goal,
		       met);
}

static int progress_shown;

void bench_progress(const struct bench_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->progress)
		return;
	fprintf(stderr, "\r\033[K%s: ", o->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = 1;
}

void bench_progress_done(const struct bench_opts *o)
{
	if (!o->progress || !progress_shown)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	progress_shown = 0;
}

unsigned long bench_raise_nofile(unsigned long want)
{
	struct rlimit rl;
	unsigned long nr_open = want;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");

	if (f) {
		if (fscanf(f, "%lu", &nr_open) != 1)
			nr_open = want;
		fclose(f);
	}
	if (want > nr_open)
		want = nr_open;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur < want) {
		if (rl.rlim_max < want) {
			rl.rlim_max = want;	/* root only */
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl))
				getrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur < want) {
			rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur;
}

long bench_rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res < 0 ? -1 : res * sysconf(_SC_PAGESIZE);
}

long bench_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

void bench_env(const struct bench_opts *o, const char *when)
{
	FILE *f = fopen("/proc/loadavg", "r");
	struct bench_summary s = { 0, 0, 0 };
	char test[64];

	if (!f)
		return;
	if (fscanf(f, "%lf", &s.median) == 1) {
		s.min = s.max = s.median;
		snprintf(test, sizeof(test), "env/%s", when);
		bench_report(stdout, o, test, "loadavg-1min", "load", &s, NULL,
			     NULL);
	}
	fclose(f);
}

uint64_t bench_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}
