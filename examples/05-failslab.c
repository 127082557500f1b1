/* SPDX-License-Identifier: MIT */
/*
 * 05-failslab: fault injection on one cache at a time. Every allocation
 * of the socket path comes from a slab cache, so failslab can fail each
 * one; the caller sees the kernel's errno for that step, and nothing is
 * left behind: the caches' active objects, the sockets in use and the
 * open files are the same before and after.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sockcore/sockcore.h>

struct step {
	const char *cache;
	int family, type;
	int want;		/* the errno the kernel gives for this step */
};

static const struct step steps[] = {
	/* sock_alloc: the socket and its file */
	{ "sock_inode_cache", AF_INET, SOCK_STREAM, -ENFILE },
	/* sk_alloc in inet_create / inet6_create / unix_create */
	{ "TCP", AF_INET, SOCK_STREAM, -ENOMEM },
	{ "UDPv6", AF_INET6, SOCK_DGRAM, -ENOBUFS },
	{ "UNIX-STREAM", AF_UNIX, SOCK_STREAM, -ENOMEM },
};

struct counts {
	unsigned long active;	/* objects out of every cache */
	long inuse;		/* sockets in use in init_net */
	unsigned long files;	/* open files */
};

static int add_active(struct kmem_cache *s, void *arg)
{
	struct kmem_cache_stats st;

	if (!kmem_cache_get_stats(s, &st))
		*(unsigned long *)arg += st.active_objs;
	return 0;
}

static struct counts counts_now(void)
{
	struct counts c = { 0, 0, 0 };

	kmem_cache_for_each(add_active, &c.active);
	c.inuse = sock_inuse_get(&init_net);
	c.files = sockcore_nr_files();
	return c;
}

static int run_step(const struct step *s)
{
	struct failslab_attr attr = {
		.probability = 100, .interval = 1, .times = 3,
	};
	int fd, bad = 0;

	snprintf(attr.cache_filter, sizeof(attr.cache_filter), "%s", s->cache);
	failslab_set(&attr);
	/* Three failures, then the fault budget (times) is spent. */
	for (int i = 0; i < 3; i++) {
		fd = sys_socket(s->family, s->type, 0);
		bad |= fd != s->want;
		if (fd >= 0)
			sys_close(fd);
	}
	fd = sys_socket(s->family, s->type, 0);
	printf("  %-18s %-8s x%lu, then %s\n", s->cache,
	       s->want < 0 ? strerrorname_np(-s->want) : "ok",
	       failslab_injected(), fd >= 0 ? "a socket" : strerror(-fd));
	bad |= fd < 0;
	if (fd >= 0)
		sys_close(fd);
	failslab_set(NULL);
	return bad;
}

int main(void)
{
	struct counts before, after;
	int bad = 0, fd;

	/* Warm up: the first socket creates the caches and per-namespace
	 * state that stay for the life of the library. */
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	sys_close(fd);
	before = counts_now();
	printf("failing one cache at a time (cache, errno x failures):\n");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		bad |= run_step(&steps[i]);
	after = counts_now();
	printf("active objects %lu -> %lu, sockets in use %ld -> %ld, "
	       "open files %lu -> %lu\n", before.active, after.active,
	       before.inuse, after.inuse, before.files, after.files);
	bad |= before.active != after.active || before.inuse != after.inuse ||
	       before.files != after.files;
	printf("%s\n", bad ? "LEAK OR WRONG ERRNO" : "nothing leaked");
	sockcore_shutdown();
	return bad;
}
