/* SPDX-License-Identifier: MIT */
/*
 * The /proc-style views as verbs: slabinfo, sockstat, protocols, raw,
 * families, protosw, lsmod, lsm; and modprobe, which shows lsmod after.
 * Text output is the kernel's format (see <sockcore/proc.h>); --json,
 * where offered, is for scripts.
 */
#include <errno.h>
#include <string.h>
#include <sockcore/sockcore.h>
#include <sockcore/proc.h>
#include "cli.h"

static int view_status(const char *verb, int ret)
{
	if (ret < 0) {
		fprintf(stderr, "sockcore %s: %s\n", verb, strerror(-ret));
		return EXIT_FAIL;
	}
	return 0;
}

/* Verbs that take no words and only --help. */
static int no_args(int argc, char **argv, const char *const *flags,
		   bool *vals, int *status)
{
	int nargs;

	if (parse_opts(argc, argv, flags, vals, &nargs, status))
		return 1;
	if (nargs) {
		*status = usage_error(argv[0], "unexpected argument '%s'",
				      argv[1]);
		return 1;
	}
	return 0;
}

static int show_view(int argc, char **argv, enum sockcore_proc_view view)
{
	int status = 0;

	if (no_args(argc, argv, NULL, NULL, &status))
		return status;
	return view_status(argv[0], sockcore_proc_show(view, NULL, stdout));
}

int verb_slabinfo(int argc, char **argv)
{
	return show_view(argc, argv, SOCKCORE_PROC_SLABINFO);
}

int verb_families(int argc, char **argv)
{
	return show_view(argc, argv, SOCKCORE_PROC_FAMILIES);
}

int verb_protosw(int argc, char **argv)
{
	return show_view(argc, argv, SOCKCORE_PROC_PROTOSW);
}

int verb_lsm(int argc, char **argv)
{
	int status = 0, ret;

	if (no_args(argc, argv, NULL, NULL, &status))
		return status;
	ret = sockcore_proc_lsm(stdout);
	/* The kernel's file has no newline; a terminal wants one. */
	putchar('\n');
	return view_status(argv[0], ret);
}

static const char *const ipv6_flags[] = { "--ipv6", "--json", NULL };

/*
 * sockstat as JSON: each line "NAME: key n key n ..." becomes
 * "NAME": {"key": n, ...}; the numbers come from the text view, so the
 * two always agree.
 */
static void sockstat_line_json(char *line, bool first)
{
	char *save = NULL, *key, *val, *colon = strchr(line, ':');
	int nr = 0;

	if (!colon)
		return;
	*colon = '\0';
	printf("%s\n  ", first ? "" : ",");
	json_str(stdout, line);
	printf(": {");
	for (key = strtok_r(colon + 1, " ", &save); key;
	     key = strtok_r(NULL, " ", &save)) {
		val = strtok_r(NULL, " ", &save);
		if (!val)
			break;
		printf("%s", nr++ ? ", " : "");
		json_str(stdout, key);
		printf(": %s", val);
	}
	printf("}");
}

static int sockstat_json(bool ipv6)
{
	char buf[4096], *line, *save = NULL;
	bool first = true;
	int ret;

	ret = sockcore_proc_snprint(ipv6 ? SOCKCORE_PROC_SOCKSTAT6 :
				    SOCKCORE_PROC_SOCKSTAT, NULL, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	printf("{");
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sockstat_line_json(line, first);
		first = false;
	}
	printf("\n}\n");
	return 0;
}

int verb_sockstat(int argc, char **argv)
{
	bool vals[2] = { false, false };
	int status = 0;

	if (no_args(argc, argv, ipv6_flags, vals, &status))
		return status;
	if (vals[1])
		return view_status(argv[0], sockstat_json(vals[0]));
	return view_status(argv[0], sockcore_proc_show(vals[0] ?
			   SOCKCORE_PROC_SOCKSTAT6 : SOCKCORE_PROC_SOCKSTAT,
			   NULL, stdout));
}

int verb_raw(int argc, char **argv)
{
	static const char *const flags[] = { "--ipv6", NULL };
	bool ipv6 = false;
	int status = 0;

	if (no_args(argc, argv, flags, &ipv6, &status))
		return status;
	return view_status(argv[0], sockcore_proc_show(ipv6 ?
			   SOCKCORE_PROC_RAW6 : SOCKCORE_PROC_RAW, NULL, stdout));
}

static const char *const json_flag[] = { "--json", NULL };

struct json_walk {
	int nr;
};

static int proto_json(struct proto *prot, void *arg)
{
	struct json_walk *w = arg;

	printf("%s\n  {\"name\": ", w->nr++ ? "," : "");
	json_str(stdout, prot->name);
	printf(", \"size\": %u, \"sockets\": %ld, \"slab\": %s, \"module\": ",
	       prot->obj_size, sock_prot_inuse_get(&init_net, prot),
	       prot->slab ? "true" : "false");
	json_str(stdout, prot->owner ? prot->owner->name : "kernel");
	printf("}");
	return 0;
}

int verb_protocols(int argc, char **argv)
{
	struct json_walk w = { 0 };
	bool json = false;
	int status = 0;

	if (no_args(argc, argv, json_flag, &json, &status))
		return status;
	if (!json)
		return view_status(argv[0], sockcore_proc_show(
				   SOCKCORE_PROC_PROTOCOLS, NULL, stdout));
	printf("[");
	proto_for_each(proto_json, &w);
	printf("\n]\n");
	return 0;
}

static int module_json(const struct sockcore_module_info *info, void *arg)
{
	struct json_walk *w = arg;

	printf("%s\n  {\"name\": ", w->nr++ ? "," : "");
	json_str(stdout, info->name);
	printf(", \"path\": ");
	json_str(stdout, info->path);
	printf(", \"refcnt\": %d, \"state\": %d}", info->refcnt, info->state);
	return 0;
}

static int show_lsmod(bool json)
{
	struct json_walk w = { 0 };

	if (!json)
		return sockcore_proc_modules(stdout);
	printf("[");
	sockcore_module_for_each(module_json, &w);
	printf("\n]\n");
	return 0;
}

int verb_lsmod(int argc, char **argv)
{
	bool json = false;
	int status = 0;

	if (no_args(argc, argv, json_flag, &json, &status))
		return status;
	return view_status(argv[0], show_lsmod(json));
}

int verb_modprobe(int argc, char **argv)
{
	bool json = false;
	int status = 0, nargs, ret;

	if (parse_opts(argc, argv, json_flag, &json, &nargs, &status))
		return status;
	if (nargs != 1)
		return usage_error(argv[0], "modprobe takes one module name "
				   "or alias");
	/* request_module() resolves names and aliases alike and treats an
	 * already loaded module as success, as modprobe does. */
	ret = request_module("%s", argv[1]);
	if (ret < 0) {
		fprintf(stderr, "sockcore modprobe: %s: %s\n", argv[1],
			ret == -ENOENT ? "module not found" : strerror(-ret));
		return EXIT_FAIL;
	}
	return view_status(argv[0], show_lsmod(json));
}
