/* SPDX-License-Identifier: MIT */
/*
 * sockcore - look inside libsockcore: create sockets with a trace of their
 * creation, read the /proc-style views, load modules, and compare the
 * library with the real socket(2).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sockcore/sockcore.h>
#include "cli.h"

const struct verb verbs[] = {
	{ "demo", verb_demo, "",
	  "create one socket of each kind, trace a TCP one, show the slabs" },
	{ "create", verb_create,
	  "FAMILY TYPE PROTO [--cloexec] [--nonblock] [--trace] [--json]",
	  "create a socket (names or numbers) and show it and its trace" },
	{ "slabinfo", verb_slabinfo, "", "the caches, as /proc/slabinfo" },
	{ "sockstat", verb_sockstat, "[--ipv6] [--json]",
	  "sockets in use, as /proc/net/sockstat (sockstat6)" },
	{ "protocols", verb_protocols, "[--json]",
	  "the registered protos, as /proc/net/protocols" },
	{ "raw", verb_raw, "[--ipv6]",
	  "the raw socket table, as /proc/net/raw (raw6)" },
	{ "families", verb_families, "", "the registered protocol families" },
	{ "protosw", verb_protosw, "",
	  "the inet and inet6 protocol-switch entries, in lookup order" },
	{ "lsmod", verb_lsmod, "[--json]",
	  "loaded modules and their reference counts" },
	{ "modprobe", verb_modprobe, "NAME|ALIAS [--json]",
	  "load a module by name or alias, then show lsmod" },
	{ "lsm", verb_lsm, "", "the registered security modules, in order" },
	{ "compare", verb_compare, "[--json]",
	  "sys_socket() against the real socket(2) over the conformance grid" },
	{ NULL, NULL, NULL, NULL },
};

const struct verb *verb_find(const char *name)
{
	const struct verb *v;

	for (v = verbs; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

void verb_usage(FILE *f, const struct verb *v)
{
	fprintf(f, "usage: sockcore %s%s%s\n       %s\n", v->name,
		*v->args ? " " : "", v->args, v->help);
}

static void usage(FILE *f)
{
	const struct verb *v;

	fprintf(f, "usage: sockcore VERB [ARGS...] [--help]\n\nverbs:\n");
	for (v = verbs; v->name; v++)
		fprintf(f, "  %-10s %s\n", v->name, v->help);
}

int usage_error(const char *verb, const char *fmt, ...)
{
	const struct verb *v = verb ? verb_find(verb) : NULL;
	va_list ap;

	fputs("sockcore: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (v)
		verb_usage(stderr, v);
	else
		usage(stderr);
	return EXIT_USAGE;
}

static int find_flag(const char *const *flags, const char *arg)
{
	int i;

	for (i = 0; flags && flags[i]; i++)
		if (strcmp(flags[i], arg) == 0)
			return i;
	return -1;
}

int parse_opts(int argc, char **argv, const char *const *flags, bool *vals,
	       int *nargs, int *status)
{
	int i, n = 0, f;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			const struct verb *v = verb_find(argv[0]);

			/* argv[0] is the verb that dispatched here */
			if (v)
				verb_usage(stdout, v);
			*status = 0;
			return 1;
		}
		f = find_flag(flags, argv[i]);
		if (f >= 0) {
			vals[f] = true;
			continue;
		}
		/* "-1" is a number (family, type or protocol), not an option. */
		if (argv[i][0] == '-' && argv[i][1] &&
		    !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
			*status = usage_error(argv[0], "unknown option '%s'",
					      argv[i]);
			return 1;
		}
		argv[1 + n++] = argv[i];
	}
	*nargs = n;
	return 0;
}

int main(int argc, char **argv)
{
	const struct verb *v;
	int ret;

	if (argc < 2)
		return usage_error(NULL, "no verb given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sockcore %s\n", sockcore_version());
		return 0;
	}
	v = verb_find(argv[1]);
	if (!v)
		return usage_error(NULL, "unknown verb '%s'", argv[1]);
	ret = sockcore_init();
	if (ret < 0) {
		fprintf(stderr, "sockcore: sockcore_init: %s\n",
			strerror(-ret));
		return EXIT_FAIL;
	}
	ret = v->run(argc - 1, argv + 1);
	/* Closes what is left and frees the library's memory, so the
	 * command runs clean under leak checkers. */
	sockcore_shutdown();
	return ret;
}
