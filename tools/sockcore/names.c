/* SPDX-License-Identifier: MIT */
/*
 * Names of families, types, protocols and errnos, both ways, so that the
 * command takes and prints what a person would write.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "cli.h"

struct name {
	const char *name;	/* as typed: "inet" */
	const char *sym;	/* as printed: "AF_INET" */
	int val;
};

static const struct name families[] = {
	{ "unspec", "AF_UNSPEC", AF_UNSPEC },
	{ "unix", "AF_UNIX", AF_UNIX },
	{ "local", "AF_UNIX", AF_UNIX },
	{ "inet", "AF_INET", AF_INET },
	{ "inet6", "AF_INET6", AF_INET6 },
	{ "netlink", "AF_NETLINK", AF_NETLINK },
	{ "packet", "AF_PACKET", AF_PACKET },
	{ NULL, NULL, 0 },
};

static const struct name types[] = {
	{ "stream", "SOCK_STREAM", SOCK_STREAM },
	{ "dgram", "SOCK_DGRAM", SOCK_DGRAM },
	{ "raw", "SOCK_RAW", SOCK_RAW },
	{ "rdm", "SOCK_RDM", SOCK_RDM },
	{ "seqpacket", "SOCK_SEQPACKET", SOCK_SEQPACKET },
	{ "dccp", "SOCK_DCCP", SOCK_DCCP },
	{ "packet", "SOCK_PACKET", SOCK_PACKET },
	{ NULL, NULL, 0 },
};

/* IP protocols (AF_INET and AF_INET6). */
static const struct name ipprotos[] = {
	{ "ip", "IPPROTO_IP", 0 },
	{ "icmp", "IPPROTO_ICMP", 1 },
	{ "igmp", "IPPROTO_IGMP", 2 },
	{ "tcp", "IPPROTO_TCP", 6 },
	{ "udp", "IPPROTO_UDP", 17 },
	{ "ipv6", "IPPROTO_IPV6", 41 },
	{ "gre", "IPPROTO_GRE", 47 },
	{ "icmpv6", "IPPROTO_ICMPV6", 58 },
	{ "sctp", "IPPROTO_SCTP", 132 },
	{ "udplite", "IPPROTO_UDPLITE", 136 },
	{ "raw", "IPPROTO_RAW", 255 },
	{ "mptcp", "IPPROTO_MPTCP", 262 },
	{ NULL, NULL, 0 },
};

static const struct name nlprotos[] = {
	{ "route", "NETLINK_ROUTE", 0 },
	{ "sock_diag", "NETLINK_SOCK_DIAG", 4 },
	{ "xfrm", "NETLINK_XFRM", 6 },
	{ "audit", "NETLINK_AUDIT", 9 },
	{ "kobject_uevent", "NETLINK_KOBJECT_UEVENT", 15 },
	{ "generic", "NETLINK_GENERIC", 16 },
	{ NULL, NULL, 0 },
};

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int lookup(const struct name *t, const char *s, int *out)
{
	for (; t->name; t++) {
		if (strcasecmp(s, t->name) == 0 || strcasecmp(s, t->sym) == 0) {
			*out = t->val;
			return 0;
		}
	}
	return parse_int(s, out);
}

static const char *sym(const struct name *t, int val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->sym;
	return NULL;
}

int parse_family(const char *s, int *out)
{
	return lookup(families, s, out);
}

int parse_type(const char *s, int *out)
{
	return lookup(types, s, out);
}

static const struct name *proto_table(int family)
{
	if (family == AF_INET || family == AF_INET6)
		return ipprotos;
	if (family == AF_NETLINK)
		return nlprotos;
	return NULL;
}

int parse_protocol(const char *s, int family, int *out)
{
	const struct name *t = proto_table(family);
	static const struct name none[] = { { NULL, NULL, 0 } };

	return lookup(t ? t : none, s, out);
}

const char *family_name(int family)
{
	return sym(families, family);
}

const char *type_name(int type)
{
	return sym(types, type);
}

const char *protocol_name(int family, int protocol)
{
	const struct name *t = proto_table(family);

	return t ? sym(t, protocol) : NULL;
}

const char *errno_name(int err)
{
	const char *s = strerrorname_np(err < 0 ? -err : err);

	return s ? s : "E?";
}

const char *triple_str(char *buf, size_t len, int family, int type,
		       int protocol)
{
	const char *f = family_name(family), *t = type_name(type);
	const char *p = protocol_name(family, protocol);
	char fb[16], tb[16], pb[16];

	if (!f)
		snprintf(fb, sizeof(fb), "%d", family), f = fb;
	if (!t)
		snprintf(tb, sizeof(tb), "%d", type), t = tb;
	if (!p)
		snprintf(pb, sizeof(pb), "%d", protocol), p = pb;
	snprintf(buf, len, "%s, %s, %s", f, t, p);
	return buf;
}
