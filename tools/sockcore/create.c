/* SPDX-License-Identifier: MIT */
/*
 * sockcore create FAMILY TYPE PROTO - create one socket, optionally with
 * the trace of its creation, and show what it became: the descriptor and
 * its flags, the socket options, and the sock behind it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sockcore/sockcore.h>
#include <sockcore/trace.h>
#include "cli.h"

enum { OPT_CLOEXEC, OPT_NONBLOCK, OPT_TRACE, OPT_JSON, OPT_NR };
static const char *const create_flags[] = {
	"--cloexec", "--nonblock", "--trace", "--json", NULL,
};

struct created {
	int fd;
	int family, type, protocol;
	int rcvbuf, sndbuf, reuse;
	struct sockcore_fdinfo info;
	char prot[32], module[32], slab[40];
	int state, refcnt;
};

static void read_sock(struct created *c)
{
	struct socket *sock;
	int err;

	c->family = sockopt_int(c->fd, SO_DOMAIN);
	c->type = sockopt_int(c->fd, SO_TYPE);
	c->protocol = sockopt_int(c->fd, SO_PROTOCOL);
	c->rcvbuf = sockopt_int(c->fd, SO_RCVBUF);
	c->sndbuf = sockopt_int(c->fd, SO_SNDBUF);
	c->reuse = sockopt_int(c->fd, SO_REUSEADDR);
	sockcore_fdinfo(c->fd, &c->info);
	sock = sockfd_lookup(c->fd, &err);
	if (!sock)
		return;
	snprintf(c->prot, sizeof(c->prot), "%s", sock->sk->sk_prot->name);
	snprintf(c->module, sizeof(c->module), "%s",
		 sock->sk->sk_prot->owner ? sock->sk->sk_prot->owner->name :
		 "kernel");
	/* Protos without a cache of their own allocate from kmalloc. */
	snprintf(c->slab, sizeof(c->slab), "%s", sock->sk->sk_prot->slab ?
		 sock->sk->sk_prot->name : "kmalloc");
	c->state = sock->sk->sk_state;
	/* sockfd_lookup() pins the file, not the sock: this is the sock's
	 * own count (the socket's, plus a table's for hashed raw socks). */
	c->refcnt = __atomic_load_n(&sock->sk->sk_refcnt, __ATOMIC_RELAXED);
	sockfd_put(sock);
}

static void print_text(const struct created *c)
{
	char triple[96];

	printf("fd            %d\n", c->fd);
	printf("socket        %s\n", triple_str(triple, sizeof(triple),
		c->family, c->type, c->protocol));
	printf("file flags    0%o%s%s\n", c->info.flags,
	       c->info.flags & O_NONBLOCK ? " (O_NONBLOCK)" : "",
	       c->info.cloexec ? ", FD_CLOEXEC" : "");
	printf("proto         %s (module %s), slab cache %s\n", c->prot,
	       c->module, c->slab);
	printf("sk_state      %d, sk_refcnt %d\n", c->state, c->refcnt);
	printf("SO_RCVBUF     %d\nSO_SNDBUF     %d\nSO_REUSEADDR  %d\n",
	       c->rcvbuf, c->sndbuf, c->reuse);
}

static void print_json(const struct created *c)
{
	printf("{\"fd\": %d, \"family\": %d, \"type\": %d, \"protocol\": %d, "
	       "\"flags\": %u, \"cloexec\": %s, \"nonblock\": %s, \"prot\": ",
	       c->fd, c->family, c->type, c->protocol, c->info.flags,
	       c->info.cloexec ? "true" : "false",
	       c->info.flags & O_NONBLOCK ? "true" : "false");
	json_str(stdout, c->prot);
	printf(", \"module\": ");
	json_str(stdout, c->module);
	printf(", \"sk_state\": %d, \"sk_refcnt\": %d, \"rcvbuf\": %d, "
	       "\"sndbuf\": %d, \"reuseaddr\": %d}\n", c->state, c->refcnt,
	       c->rcvbuf, c->sndbuf, c->reuse);
}

static int parse_triple(char **argv, int *family, int *type, int *protocol)
{
	if (parse_family(argv[1], family))
		return usage_error("create", "unknown family '%s'", argv[1]);
	if (parse_type(argv[2], type))
		return usage_error("create", "unknown type '%s'", argv[2]);
	if (parse_protocol(argv[3], *family, protocol))
		return usage_error("create", "unknown protocol '%s'", argv[3]);
	return 0;
}

static void report_error(bool json, int fd, const char *triple)
{
	if (json)
		printf("{\"error\": \"%s\", \"errno\": %d}\n", errno_name(fd),
		       -fd);
	fprintf(stderr, "sockcore create: socket(%s) = %s (%s)\n", triple,
		errno_name(fd), strerror(-fd));
}

int verb_create(int argc, char **argv)
{
	bool opt[OPT_NR] = { false };
	struct created c = { .fd = -1 };
	int status = 0, nargs, family, type, protocol;
	char triple[96];

	if (parse_opts(argc, argv, create_flags, opt, &nargs, &status))
		return status;
	if (nargs != 3)
		return usage_error(argv[0], "create takes FAMILY TYPE PROTO");
	status = parse_triple(argv, &family, &type, &protocol);
	if (status)
		return status;
	triple_str(triple, sizeof(triple), family, type, protocol);
	type |= (opt[OPT_CLOEXEC] ? SOCK_CLOEXEC : 0) |
		(opt[OPT_NONBLOCK] ? SOCK_NONBLOCK : 0);

	/* With --json the trace goes to stderr, keeping stdout parseable. */
	if (opt[OPT_TRACE])
		sockcore_trace_to(opt[OPT_JSON] ? stderr : stdout);
	c.fd = sys_socket(family, type, protocol);
	/* Only undo our own: SOCKCORE_TRACE=1 keeps tracing to stderr. */
	if (opt[OPT_TRACE])
		sockcore_trace_to(NULL);
	if (c.fd < 0) {
		report_error(opt[OPT_JSON], c.fd, triple);
		return EXIT_FAIL;
	}
	read_sock(&c);
	if (opt[OPT_JSON])
		print_json(&c);
	else
		print_text(&c);
	sys_close(c.fd);
	return 0;
}
