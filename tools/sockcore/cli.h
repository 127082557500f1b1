/* SPDX-License-Identifier: MIT */
/*
 * The sockcore command: shared declarations of its verbs and helpers.
 * Each verb is "int verb_x(int argc, char **argv)": argv[0] is the verb
 * name, the result is the process exit status.
 */
#ifndef SOCKCORE_CLI_H
#define SOCKCORE_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses: 1 for an operation that failed, 2 for a usage error. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;	/* usage line after the verb name */
	const char *help;	/* one line */
};

extern const struct verb verbs[];

/* Usage of one verb on @f; usage_error() adds "sockcore: @msg" first. */
void verb_usage(FILE *f, const struct verb *v);
int usage_error(const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const struct verb *verb_find(const char *name);

/*
 * Common option handling: "--help" prints the verb's usage (returns 1 and
 * sets *status to 0), unknown "--x" is a usage error. Options named in
 * @flags (NULL-terminated) set the matching bool in @vals; the remaining
 * words are moved to the front of argv and counted in *nargs.
 */
int parse_opts(int argc, char **argv, const char *const *flags, bool *vals,
	       int *nargs, int *status);

/* Names <-> numbers. Each parser accepts a name or a decimal number;
 * returns 0 or -EINVAL. Printers return a static name or NULL. */
int parse_family(const char *s, int *out);
int parse_type(const char *s, int *out);
int parse_protocol(const char *s, int family, int *out);
const char *family_name(int family);
const char *type_name(int type);
const char *protocol_name(int family, int protocol);
/* "EINVAL" for 22 or -22, "E?" for unknown. */
const char *errno_name(int err);

/* A socket's triple as "AF_INET, SOCK_STREAM, IPPROTO_TCP" into @buf. */
const char *triple_str(char *buf, size_t len, int family, int type,
		       int protocol);

/* An int SOL_SOCKET option of library descriptor @fd, or -errno. */
int sockopt_int(int fd, int opt);

/* JSON string output (escaped). */
void json_str(FILE *f, const char *s);

/* Print the slabinfo lines of the caches of the registered protos (and
 * the header) to @f; returns 0 or a negative errno. */
int print_proto_slabinfo(FILE *f);

int verb_demo(int argc, char **argv);
int verb_create(int argc, char **argv);
int verb_slabinfo(int argc, char **argv);
int verb_sockstat(int argc, char **argv);
int verb_protocols(int argc, char **argv);
int verb_raw(int argc, char **argv);
int verb_families(int argc, char **argv);
int verb_protosw(int argc, char **argv);
int verb_lsmod(int argc, char **argv);
int verb_modprobe(int argc, char **argv);
int verb_lsm(int argc, char **argv);
int verb_compare(int argc, char **argv);

#endif /* SOCKCORE_CLI_H */
