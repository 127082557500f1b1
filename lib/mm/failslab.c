/* SPDX-License-Identifier: MIT */
/*
 * lib/mm/failslab.c - fault injection for slab allocations, after the
 * kernel's failslab (mm/failslab.c on lib/fault-inject.c).
 *
 * The attributes mean what the kernel's fault_attr fields mean, in the
 * same order of tests, so a campaign written for one reads the same on
 * the other: an eligible call (right cache, not __GFP_NOFAIL, probability
 * non-zero, times left) first uses up @space bytes, then is counted, and
 * only every @interval-th counted call may fail, with @probability percent.
 * The only difference: from SOCKCORE_FAILSLAB an unspecified probability
 * is 100 (the kernel's default 0 would make "interval=N,times=1" inert).
 *
 * When off, the allocator pays one load of slab_hooks and a branch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab_internal.h"

static pthread_mutex_t failslab_lock = PTHREAD_MUTEX_INITIALIZER;
static struct failslab_attr failslab_attr;	/* failslab_lock */
static unsigned long failslab_count;		/* eligible calls seen */
static unsigned long failslab_nr_injected;
static uint64_t failslab_rnd = 0x9e3779b97f4a7c15ull;

static unsigned int failslab_random100(void)
{
	/* xorshift64: reproducible from run to run, which campaigns want */
	failslab_rnd ^= failslab_rnd << 13;
	failslab_rnd ^= failslab_rnd >> 7;
	failslab_rnd ^= failslab_rnd << 17;
	return failslab_rnd % 100;
}

static bool failslab_attr_live(const struct failslab_attr *a)
{
	return a->probability && a->times;
}

/* The kernel's should_fail_ex(), less the task and stack filters. */
static bool should_fail(struct failslab_attr *a, size_t size)
{
	if (!a->probability || !a->times)
		return false;
	if (a->space > size) {
		a->space -= size;
		return false;
	}
	if (a->interval > 1 && ++failslab_count % a->interval)
		return false;
	if (a->probability <= failslab_random100())
		return false;
	if (a->times != -1)
		a->times--;
	return true;
}

bool should_failslab(const char *name, size_t size, gfp_t gfp)
{
	struct failslab_attr *a = &failslab_attr;
	bool fail;

	if (gfp & __GFP_NOFAIL)
		return false;
	pthread_mutex_lock(&failslab_lock);
	if (a->cache_filter[0] && strcmp(a->cache_filter, name)) {
		pthread_mutex_unlock(&failslab_lock);
		return false;
	}
	fail = should_fail(a, size);
	if (fail) {
		failslab_nr_injected++;
		if (a->verbose && !(gfp & __GFP_NOWARN))
			fprintf(stderr, "FAULT_INJECTION: forcing a failure: "
				"cache %s, size %zu\n", name, size);
	}
	if (!failslab_attr_live(a))
		slab_hooks_set(SLAB_HOOK_FAILSLAB, false);
	pthread_mutex_unlock(&failslab_lock);
	return fail;
}

int failslab_set(const struct failslab_attr *attr)
{
	struct failslab_attr a = { 0 };

	if (attr) {
		a = *attr;
		if (a.probability > 100 || a.times < -1)
			return -EINVAL;
		if (!a.interval)
			a.interval = 1;
		a.cache_filter[sizeof(a.cache_filter) - 1] = '\0';
	}
	pthread_mutex_lock(&failslab_lock);
	failslab_attr = a;
	failslab_count = 0;
	failslab_nr_injected = 0;
	slab_hooks_set(SLAB_HOOK_FAILSLAB, failslab_attr_live(&a));
	pthread_mutex_unlock(&failslab_lock);
	return 0;
}

int failslab_get(struct failslab_attr *attr)
{
	if (!attr)
		return -EINVAL;
	pthread_mutex_lock(&failslab_lock);
	*attr = failslab_attr;
	pthread_mutex_unlock(&failslab_lock);
	return 0;
}

unsigned long failslab_injected(void)
{
	unsigned long n;

	pthread_mutex_lock(&failslab_lock);
	n = failslab_nr_injected;
	pthread_mutex_unlock(&failslab_lock);
	return n;
}

static int failslab_parse_one(struct failslab_attr *a, const char *key,
		const char *val)
{
	char *end;
	long v;

	if (!strcmp(key, "cache")) {
		snprintf(a->cache_filter, sizeof(a->cache_filter), "%s", val);
		return 0;
	}
	errno = 0;
	v = strtol(val, &end, 0);
	if (errno || *end || end == val)
		return -EINVAL;
	if (!strcmp(key, "probability"))
		a->probability = v;
	else if (!strcmp(key, "interval"))
		a->interval = v;
	else if (!strcmp(key, "times"))
		a->times = v;
	else if (!strcmp(key, "space"))
		a->space = v;
	else if (!strcmp(key, "verbose"))
		a->verbose = v;
	else
		return -EINVAL;
	return 0;
}

/* "probability=10,interval=1,times=-1,space=0,cache=TCP,verbose=1" */
int failslab_parse(const char *spec, struct failslab_attr *a)
{
	char buf[256], *tok, *save = NULL;

	memset(a, 0, sizeof(*a));
	a->probability = 100;
	a->interval = 1;
	a->times = 1;
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			return -EINVAL;
		*eq = '\0';
		if (failslab_parse_one(a, tok, eq + 1))
			return -EINVAL;
	}
	return 0;
}

void failslab_setup_env(void)
{
	const char *env = getenv("SOCKCORE_FAILSLAB");
	struct failslab_attr a;

	if (!env || !*env)
		return;
	if (failslab_parse(env, &a) || failslab_set(&a))
		fprintf(stderr, "sockcore: bad SOCKCORE_FAILSLAB \"%s\"\n", env);
}

void failslab_atfork_child(void)
{
	pthread_mutex_init(&failslab_lock, NULL);
}
