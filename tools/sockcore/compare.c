/* SPDX-License-Identifier: MIT */
/*
 * sockcore compare - run sys_socket() and the real socket(2) over the
 * conformance grid and report where they agree and where they differ:
 * the same errno, or for sockets made by both the same SO_DOMAIN,
 * SO_TYPE, SO_PROTOCOL, close-on-exec and O_NONBLOCK.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sockcore/sockcore.h>
#include "cli.h"

static const int grid_families[] = {
	AF_UNIX, AF_INET, AF_INET6, AF_PACKET, AF_NETLINK, 0, 45, 46, -1, 1000,
};
static const int grid_protocols[] = {
	0, 1, 2, 6, 17, 31, 32, 58, 132, 136, 255, 256, 262, 263, 768,
	65535, 65536, -1,
};
static const int grid_flags[] = {
	0, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_CLOEXEC | SOCK_NONBLOCK,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define GRID_TYPE_MIN	-1
#define GRID_TYPE_MAX	15
#define NR_FAMILIES	ARRAY_SIZE(grid_families)

struct outcome {
	int err;			/* 0: a socket was made */
	int family, type, protocol;
	int cloexec, nonblock;
};

static void lib_outcome(int family, int type, int protocol, struct outcome *o)
{
	int fd = sys_socket(family, type, protocol);

	memset(o, 0, sizeof(*o));
	if (fd < 0) {
		o->err = -fd;
		return;
	}
	o->family = sockopt_int(fd, SO_DOMAIN);
	o->type = sockopt_int(fd, SO_TYPE);
	o->protocol = sockopt_int(fd, SO_PROTOCOL);
	o->cloexec = sys_fcntl(fd, F_GETFD, 0) & FD_CLOEXEC;
	o->nonblock = !!(sys_fcntl(fd, F_GETFL, 0) & O_NONBLOCK);
	sys_close(fd);
}

static int real_opt(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int val = 0;

	return getsockopt(fd, SOL_SOCKET, opt, &val, &len) ? -errno : val;
}

static void real_outcome(int family, int type, int protocol, struct outcome *o)
{
	int fd = socket(family, type, protocol);

	memset(o, 0, sizeof(*o));
	if (fd < 0) {
		o->err = errno;
		return;
	}
	o->family = real_opt(fd, SO_DOMAIN);
	o->type = real_opt(fd, SO_TYPE);
	o->protocol = real_opt(fd, SO_PROTOCOL);
	o->cloexec = fcntl(fd, F_GETFD) & FD_CLOEXEC;
	o->nonblock = !!(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
}

static void outcome_str(const struct outcome *o, char *buf, size_t len)
{
	char triple[96];

	if (o->err) {
		snprintf(buf, len, "%s", errno_name(o->err));
		return;
	}
	snprintf(buf, len, "ok (%s%s%s)", triple_str(triple, sizeof(triple),
		 o->family, o->type, o->protocol),
		 o->cloexec ? ", cloexec" : "", o->nonblock ? ", nonblock" : "");
}

struct tally {
	unsigned long cases[NR_FAMILIES], differ[NR_FAMILIES];
	unsigned long total, total_differ;
	bool json;
};

static const char *flags_str(int flags)
{
	switch (flags) {
	case 0:
		return "";
	case SOCK_CLOEXEC:
		return "|SOCK_CLOEXEC";
	case SOCK_NONBLOCK:
		return "|SOCK_NONBLOCK";
	default:
		return "|SOCK_CLOEXEC|SOCK_NONBLOCK";
	}
}

static void report_diff(struct tally *t, int family, int type, int protocol,
			int flags, const struct outcome *lib,
			const struct outcome *real)
{
	char l[128], r[128];

	outcome_str(lib, l, sizeof(l));
	outcome_str(real, r, sizeof(r));
	if (!t->json) {
		printf("  DIFFER socket(%d, %d%s, %d): library %s, kernel %s\n",
		       family, type, flags_str(flags), protocol, l, r);
		return;
	}
	printf("%s\n    {\"family\": %d, \"type\": %d, \"flags\": %d, "
	       "\"protocol\": %d, \"library\": ", t->total_differ > 1 ? "," : "",
	       family, type, flags, protocol);
	json_str(stdout, l);
	printf(", \"kernel\": ");
	json_str(stdout, r);
	printf("}");
}

static void run_case(struct tally *t, size_t fi, int type, int protocol,
		     int flags)
{
	int family = grid_families[fi];
	struct outcome lib, real;

	lib_outcome(family, type | flags, protocol, &lib);
	real_outcome(family, type | flags, protocol, &real);
	t->cases[fi]++;
	t->total++;
	if (memcmp(&lib, &real, sizeof(lib)) == 0)
		return;
	t->differ[fi]++;
	t->total_differ++;
	report_diff(t, family, type, protocol, flags, &lib, &real);
}

static void run_grid(struct tally *t)
{
	for (size_t fi = 0; fi < NR_FAMILIES; fi++)
		for (int type = GRID_TYPE_MIN; type <= GRID_TYPE_MAX; type++)
			for (size_t pi = 0; pi < ARRAY_SIZE(grid_protocols); pi++)
				for (size_t x = 0; x < ARRAY_SIZE(grid_flags); x++)
					run_case(t, fi, type,
						 grid_protocols[pi],
						 grid_flags[x]);
}

static void print_summary(const struct tally *t)
{
	const char *name;

	if (t->json) {
		printf("\n  ],\n  \"cases\": %lu, \"agree\": %lu, "
		       "\"differ\": %lu\n}\n", t->total,
		       t->total - t->total_differ, t->total_differ);
		return;
	}
	printf("%-12s %6s %6s %6s\n", "family", "cases", "agree", "differ");
	for (size_t fi = 0; fi < NR_FAMILIES; fi++) {
		name = family_name(grid_families[fi]);
		if (name)
			printf("%-12s", name);
		else
			printf("%-12d", grid_families[fi]);
		printf(" %6lu %6lu %6lu\n", t->cases[fi],
		       t->cases[fi] - t->differ[fi], t->differ[fi]);
	}
	printf("%-12s %6lu %6lu %6lu\n", "total", t->total,
	       t->total - t->total_differ, t->total_differ);
	printf("%lu differences\n", t->total_differ);
}

int verb_compare(int argc, char **argv)
{
	static const char *const flags[] = { "--json", NULL };
	struct tally t = { .json = false };
	int status = 0, nargs;

	if (parse_opts(argc, argv, flags, &t.json, &nargs, &status))
		return status;
	if (nargs)
		return usage_error(argv[0], "unexpected argument '%s'", argv[1]);
	if (t.json)
		printf("{\n  \"differences\": [");
	run_grid(&t);
	print_summary(&t);
	/* Like diff(1): 1 when the two disagree anywhere. */
	return t.total_differ ? EXIT_FAIL : 0;
}
