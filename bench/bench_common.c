/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int bench_parse_args(int argc, char **argv, struct bench_opts *o, int rounds)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->rounds = rounds;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			o->quick = true;
			o->rounds = 3;
		} else if (!strcmp(argv[i], "--json")) {
			o->json = true;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			o->rounds = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--json] "
				"[--rounds N]\n", argv[0]);
			return -1;
		}
	}
	if (o->rounds < 1)
		o->rounds = 1;
	return 0;
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
	fprintf(f, "%-22s %-16s %10s %10s %10s %-8s | %-16s %7s %7s %7s\n",
		"test", "subject", "median", "min", "max", "unit",
		"ratio vs", "median", "min", "max");
}

void bench_report(FILE *f, const struct bench_opts *o, const char *test,
		const char *subject, const char *unit,
		const struct bench_summary *s, const char *versus,
		const struct bench_summary *ratio)
{
	if (o->json) {
		fprintf(f, "{\"test\":\"%s\",\"subject\":\"%s\",\"unit\":\"%s\","
			"\"median\":%.3f,\"min\":%.3f,\"max\":%.3f", test,
			subject, unit, s->median, s->min, s->max);
		if (ratio)
			fprintf(f, ",\"versus\":\"%s\",\"ratio_median\":%.3f,"
				"\"ratio_min\":%.3f,\"ratio_max\":%.3f", versus,
				ratio->median, ratio->min, ratio->max);
		fprintf(f, "}\n");
		return;
	}
	fprintf(f, "%-22s %-16s %10.2f %10.2f %10.2f %-8s", test, subject,
		s->median, s->min, s->max, unit);
	if (ratio)
		fprintf(f, " | %-16s %7.2f %7.2f %7.2f", versus, ratio->median,
			ratio->min, ratio->max);
	fprintf(f, "\n");
}
