/* SPDX-License-Identifier: MIT */
/*
 * sockcore demo - a one-screen tour: one socket of each kind with its
 * SO_DOMAIN/SO_TYPE/SO_PROTOCOL, the function_graph trace of a TCP
 * socket's creation, and the protocol caches those sockets came from.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <sockcore/sockcore.h>
#include <sockcore/trace.h>
#include "cli.h"

struct demo_sock {
	int family, type, protocol;
	int fd;
};

static struct demo_sock demo_socks[] = {
	{ AF_INET, SOCK_STREAM, IPPROTO_TCP, -1 },
	{ AF_INET, SOCK_DGRAM, IPPROTO_UDP, -1 },
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP, -1 },
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP, -1 },
	{ AF_INET6, SOCK_STREAM, IPPROTO_TCP, -1 },
	{ AF_INET6, SOCK_DGRAM, IPPROTO_UDP, -1 },
	{ AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, -1 },
	{ AF_UNIX, SOCK_STREAM, 0, -1 },
	{ AF_UNIX, SOCK_DGRAM, 0, -1 },
	{ AF_UNIX, SOCK_SEQPACKET, 0, -1 },
	{ AF_PACKET, SOCK_RAW, 0, -1 },	/* protocol set at run time */
	{ AF_NETLINK, SOCK_RAW, 0, -1 },	/* NETLINK_ROUTE */
};

#define NR_DEMO (sizeof(demo_socks) / sizeof(demo_socks[0]))

static void show_sock(const struct demo_sock *d)
{
	char want[80], got[80];

	triple_str(want, sizeof(want), d->family, d->type, d->protocol);
	if (d->fd < 0) {
		printf("  %-38s -> %s\n", want, errno_name(d->fd));
		return;
	}
	triple_str(got, sizeof(got), sockopt_int(d->fd, SO_DOMAIN),
		   sockopt_int(d->fd, SO_TYPE), sockopt_int(d->fd, SO_PROTOCOL));
	printf("  %-38s -> fd %-2d %s\n", want, d->fd, got);
}

static int name_slab(struct proto *prot, void *arg)
{
	const char *line = arg;
	size_t n = strlen(prot->name);

	/* A slabinfo line starts with the cache name and a space. */
	return prot->slab && strncmp(line, prot->name, n) == 0 &&
	       line[n] == ' ';
}

int print_proto_slabinfo(FILE *f)
{
	char *buf, *line, *save = NULL;
	int len, nr = 0;

	len = slabinfo_snprint(NULL, 0);
	if (len < 0)
		return len;
	buf = malloc((size_t)len + 1);
	if (!buf)
		return -ENOMEM;
	slabinfo_snprint(buf, (size_t)len + 1);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* The two header lines, then the protocol caches only. */
		if (nr++ < 2 || proto_for_each(name_slab, line))
			fprintf(f, "%s\n", line);
	}
	free(buf);
	return 0;
}

static void demo_trace(void)
{
	int fd;

	printf("\nCreation trace of socket(AF_INET, SOCK_STREAM, 0):\n");
	fflush(stdout);
	sockcore_trace_to(stdout);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	sockcore_trace_to(NULL);
	if (fd >= 0)
		sys_close(fd);
	else
		printf("  -> %s\n", errno_name(fd));
}

int verb_demo(int argc, char **argv)
{
	int status = 0, nargs;
	size_t i;

	if (parse_opts(argc, argv, NULL, NULL, &nargs, &status))
		return status;
	if (nargs)
		return usage_error("demo", "demo takes no arguments");

	printf("libsockcore %s: sys_socket() for each kind of socket\n",
	       sockcore_version());
	printf("  %-38s    %s\n", "family, type, protocol",
	       "descriptor, then SO_DOMAIN, SO_TYPE, SO_PROTOCOL");
	demo_socks[NR_DEMO - 2].protocol = htons(ETH_P_ALL);
	for (i = 0; i < NR_DEMO; i++) {
		struct demo_sock *d = &demo_socks[i];

		d->fd = sys_socket(d->family, d->type, d->protocol);
		show_sock(d);
	}

	demo_trace();

	printf("\nThe protocol caches (/proc/slabinfo lines), sockets open:\n");
	print_proto_slabinfo(stdout);

	for (i = 0; i < NR_DEMO; i++)
		if (demo_socks[i].fd >= 0)
			sys_close(demo_socks[i].fd);
	printf("\nAll %zu sockets closed: %ld in use.\n", NR_DEMO,
	       sock_inuse_get(&init_net));
	return 0;
}
