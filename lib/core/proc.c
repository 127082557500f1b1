/* SPDX-License-Identifier: MIT */
/*
 * The /proc-style views of the socket layer (net/core/sock.c proto_seq_show
 * for /proc/net/protocols; fs/proc/fd.c for fdinfo; kernel/module for
 * lsmod; security/inode.c for the LSM list), and the dispatch of every
 * view by number. The inet views live beside their protocols in lib/ipv4
 * and lib/ipv6, as in the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sockcore/proc.h>
#include <sockcore/fdtable.h>
#include <sockcore/inet.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/security.h>
#include <sockcore/task.h>
#include "core/proc_internal.h"
#include "core/socket_internal.h"

struct net *proc_net(struct net *net)
{
	/* A view read before the first socket shows the built-in families
	 * and protos, as the kernel's would: register them now. A failure
	 * leaves the tables empty, which is what the view then shows. */
	(void)sockcore_ensure_init();
	return net ? net : &init_net;
}

int proc_done(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

struct inuse_by_name {
	struct net *net;
	const char *name;
	long inuse;
};

static int inuse_by_name_fn(struct proto *prot, void *arg)
{
	struct inuse_by_name *q = arg;

	if (strcmp(prot->name, q->name) != 0)
		return 0;
	q->inuse = sock_prot_inuse_get(q->net, prot);
	return 1;
}

long proc_prot_inuse_by_name(struct net *net, const char *name)
{
	struct inuse_by_name q = { .net = net, .name = name };

	proto_for_each(inuse_by_name_fn, &q);
	return q.inuse;
}

/* ---- /proc/net/protocols ------------------------------------------------ */

static char proto_method_implemented(const void *method)
{
	return method ? 'y' : 'n';
}

/*
 * One line, in proto_seq_printf's layout, into a new string (NULL: out of
 * memory). Memory accounting, pressure, the header size and the methods
 * past the creation path are not modelled: they print as for a kernel
 * proto that lacks them (-1, NI, 0, n).
 */
static char *proto_seq_line(struct net *net, struct proto *p)
{
	char *line;

	if (asprintf(&line, "%-9s %4u %6ld  %6ld   %-3s %6u   %-3s  %-10s "
		     "%2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c %2c\n",
		     p->name, p->obj_size, sock_prot_inuse_get(net, p), -1L,
		     "NI", 0u, p->slab ? "yes" : "no",
		     p->owner ? p->owner->name : "kernel",
		     proto_method_implemented((void *)p->close),
		     'n', 'n', 'n', 'n',	/* connect disconnect accept ioctl */
		     proto_method_implemented((void *)p->init),
		     proto_method_implemented((void *)p->destroy),
		     'n', 'n', 'n', 'n', 'n', 'n',	/* shutdown .. bind */
		     proto_method_implemented((void *)p->backlog_rcv),
		     proto_method_implemented((void *)p->hash),
		     proto_method_implemented((void *)p->unhash),
		     'n', 'n') < 0)		/* get_port enter_memory_pressure */
		return NULL;
	return line;
}

struct proto_walk {
	struct net *net;
	char **lines;
	size_t nr, cap;
};

/* The lines are made under the proto list lock (a module's proto cannot
 * go away meanwhile) and written after it, so no I/O holds the lock. */
static int proto_collect(struct proto *prot, void *arg)
{
	struct proto_walk *w = arg;
	char **p;

	if (w->nr == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 32;
		p = realloc(w->lines, w->cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		w->lines = p;
	}
	w->lines[w->nr] = proto_seq_line(w->net, prot);
	return w->lines[w->nr++] ? 0 : -ENOMEM;
}

int sockcore_proc_protocols(struct net *net, FILE *f)
{
	struct proto_walk w = { .net = proc_net(net) };
	int ret;

	fprintf(f, "%-9s %-4s %-8s %-6s %-5s %-7s %-4s %-10s %s",
		"protocol", "size", "sockets", "memory", "press", "maxhdr",
		"slab", "module",
		"cl co di ac io in de sh ss gs se re bi br ha uh gp em\n");
	ret = proto_for_each(proto_collect, &w);
	/* The kernel lists the newest proto first (proto_register adds at
	 * the head of proto_list); ours is in registration order. */
	for (size_t i = w.nr; i-- > 0;) {
		if (!ret)
			fputs(w.lines[i], f);
		free(w.lines[i]);
	}
	free(w.lines);
	return ret ? ret : proc_done(f);
}

/* ---- the family table and the protocol switches ------------------------- */

static const char *const af_names[NPROTO] = {
	[AF_UNSPEC] = "AF_UNSPEC", [AF_UNIX] = "AF_UNIX",
	[AF_INET] = "AF_INET", [AF_AX25] = "AF_AX25", [AF_IPX] = "AF_IPX",
	[AF_APPLETALK] = "AF_APPLETALK", [AF_NETROM] = "AF_NETROM",
	[AF_BRIDGE] = "AF_BRIDGE", [AF_ATMPVC] = "AF_ATMPVC",
	[AF_X25] = "AF_X25", [AF_INET6] = "AF_INET6", [AF_ROSE] = "AF_ROSE",
	[AF_DECnet] = "AF_DECnet", [AF_NETBEUI] = "AF_NETBEUI",
	[AF_SECURITY] = "AF_SECURITY", [AF_KEY] = "AF_KEY",
	[AF_NETLINK] = "AF_NETLINK", [AF_PACKET] = "AF_PACKET",
	[AF_ASH] = "AF_ASH", [AF_ECONET] = "AF_ECONET",
	[AF_ATMSVC] = "AF_ATMSVC", [AF_RDS] = "AF_RDS", [AF_SNA] = "AF_SNA",
	[AF_IRDA] = "AF_IRDA", [AF_PPPOX] = "AF_PPPOX",
	[AF_WANPIPE] = "AF_WANPIPE", [AF_LLC] = "AF_LLC", [AF_IB] = "AF_IB",
	[AF_MPLS] = "AF_MPLS", [AF_CAN] = "AF_CAN", [AF_TIPC] = "AF_TIPC",
	[AF_BLUETOOTH] = "AF_BLUETOOTH", [AF_IUCV] = "AF_IUCV",
	[AF_RXRPC] = "AF_RXRPC", [AF_ISDN] = "AF_ISDN",
	[AF_PHONET] = "AF_PHONET", [AF_IEEE802154] = "AF_IEEE802154",
	[AF_CAIF] = "AF_CAIF", [AF_ALG] = "AF_ALG", [AF_NFC] = "AF_NFC",
	[AF_VSOCK] = "AF_VSOCK", [AF_KCM] = "AF_KCM", [AF_QIPCRTR] = "AF_QIPCRTR",
	[AF_SMC] = "AF_SMC", [AF_XDP] = "AF_XDP", [45] = "AF_MCTP",
};

/* Family tables are global: @net is accepted for a uniform interface. */
int sockcore_proc_families(struct net *net, FILE *f)
{
	(void)proc_net(net);
	fprintf(f, "family name\n");
	for (int i = 0; i < NPROTO; i++)
		if (sock_is_registered(i))
			fprintf(f, "%6d %s\n", i, af_names[i] ? af_names[i] : "?");
	return proc_done(f);
}

static const char *const sock_type_names[SOCK_MAX] = {
	[SOCK_STREAM] = "STREAM", [SOCK_DGRAM] = "DGRAM", [SOCK_RAW] = "RAW",
	[SOCK_RDM] = "RDM", [SOCK_SEQPACKET] = "SEQPACKET",
	[SOCK_DCCP] = "DCCP", [SOCK_PACKET] = "PACKET",
};

struct protosw_walk {
	FILE *f;
	const char *family;
};

static int protosw_print(const struct inet_protosw *p, void *arg)
{
	struct protosw_walk *w = arg;
	const char *type = p->type < SOCK_MAX ? sock_type_names[p->type] : NULL;
	const struct module *owner = p->prot->owner;

	char flags[32] = "";

	if (p->flags & INET_PROTOSW_PERMANENT)
		strcat(flags, ",PERMANENT");
	if (p->flags & INET_PROTOSW_ICSK)
		strcat(flags, ",ICSK");
	if (p->flags & INET_PROTOSW_REUSE)
		strcat(flags, ",REUSE");
	fprintf(w->f, "%-8s %-9s %8u %-10s %-10s %s\n", w->family,
		type ? type : "?", p->protocol, p->prot->name,
		owner ? owner->name : "kernel", flags[0] ? flags + 1 : "-");
	return 0;
}

/* The switches are global too; the lines show lookup order per type. */
int sockcore_proc_protosw(struct net *net, FILE *f)
{
	struct protosw_walk w = { .f = f, .family = "AF_INET" };

	(void)proc_net(net);
	fprintf(f, "%-8s %-9s %8s %-10s %-10s %s\n", "family", "type",
		"protocol", "prot", "module", "flags");
	inet_protosw_for_each(protosw_print, &w);
	w.family = "AF_INET6";
	inet6_protosw_for_each(protosw_print, &w);
	return proc_done(f);
}

/* ---- descriptors -------------------------------------------------------- */

/* fdinfo's "flags:" shows close-on-exec as O_CLOEXEC (fs/proc/fd.c). */
static unsigned int fdinfo_flags(const struct sockcore_fdinfo *info)
{
	return info->flags | (info->cloexec ? O_CLOEXEC : 0);
}

int sockcore_proc_fdinfo(int fd, FILE *f)
{
	struct sockcore_fdinfo info;
	int ret = sockcore_fdinfo(fd, &info);

	if (ret)
		return ret;
	/* No mounts and no inodes here: mnt_id and ino read 0. */
	fprintf(f, "pos:\t0\nflags:\t0%o\nmnt_id:\t0\nino:\t0\n",
		fdinfo_flags(&info));
	return proc_done(f);
}

int sockcore_proc_fdtable(FILE *f)
{
	struct files_struct *files = current_files();
	unsigned int left = files_count(files), max = files_get_limit(files);
	struct sockcore_fdinfo info;

	(void)proc_net(NULL);
	fprintf(f, "%5s %8s %7s %6s %4s %8s\n", "fd", "flags", "cloexec",
		"family", "type", "protocol");
	/* Descriptors are dense from 0 in practice: stop at the last one. */
	for (unsigned int fd = 0; left && fd < max; fd++) {
		if (sockcore_fdinfo((int)fd, &info))
			continue;
		left--;
		fprintf(f, "%5d %08o %7d %6d %4d %8d\n", info.fd,
			fdinfo_flags(&info), info.cloexec, info.family,
			info.type, info.protocol);
	}
	return proc_done(f);
}

/* ---- modules and security modules -------------------------------------- */

static int module_print(const struct sockcore_module_info *info, void *arg)
{
	struct stat st;
	long size = 0;

	/* The kernel's size is the module's core image; the file's size is
	 * the nearest thing we have. */
	if (info->path && *info->path && stat(info->path, &st) == 0)
		size = (long)st.st_size;
	fprintf(arg, "%-19s %8ld  %d\n", info->name, size, info->refcnt);
	return 0;
}

int sockcore_proc_modules(FILE *f)
{
	(void)proc_net(NULL);
	fprintf(f, "Module                  Size  Used by\n");
	sockcore_module_for_each(module_print, f);
	return proc_done(f);
}

struct lsm_walk {
	FILE *f;
	int nr;
};

static int lsm_print(const char *name, void *arg)
{
	struct lsm_walk *w = arg;

	fprintf(w->f, "%s%s", w->nr++ ? "," : "", name);
	return 0;
}

int sockcore_proc_lsm(FILE *f)
{
	struct lsm_walk w = { .f = f };

	(void)proc_net(NULL);
	security_for_each(lsm_print, &w);
	return proc_done(f);
}

/* ---- every view by number ----------------------------------------------- */

/* Views of a namespace take @net; the others are process-wide. */
static const struct proc_view {
	int (*show_net)(struct net *net, FILE *f);
	int (*show)(FILE *f);
} proc_views[SOCKCORE_PROC_NR] = {
	[SOCKCORE_PROC_SLABINFO] = { .show = slabinfo_show },
	[SOCKCORE_PROC_PROTOCOLS] = { .show_net = sockcore_proc_protocols },
	[SOCKCORE_PROC_SOCKSTAT] = { .show_net = sockcore_proc_sockstat },
	[SOCKCORE_PROC_SOCKSTAT6] = { .show_net = sockcore_proc_sockstat6 },
	[SOCKCORE_PROC_RAW] = { .show_net = sockcore_proc_raw },
	[SOCKCORE_PROC_RAW6] = { .show_net = sockcore_proc_raw6 },
	[SOCKCORE_PROC_FAMILIES] = { .show_net = sockcore_proc_families },
	[SOCKCORE_PROC_PROTOSW] = { .show_net = sockcore_proc_protosw },
	[SOCKCORE_PROC_FDTABLE] = { .show = sockcore_proc_fdtable },
	[SOCKCORE_PROC_MODULES] = { .show = sockcore_proc_modules },
	[SOCKCORE_PROC_LSM] = { .show = sockcore_proc_lsm },
};

int sockcore_proc_show(enum sockcore_proc_view view, struct net *net, FILE *f)
{
	const struct proc_view *v;

	if ((unsigned int)view >= SOCKCORE_PROC_NR)
		return -EINVAL;
	v = &proc_views[view];
	return v->show_net ? v->show_net(net, f) : v->show(f);
}

int sockcore_proc_snprint(enum sockcore_proc_view view, struct net *net,
		char *buf, size_t len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f;
	int ret;

	f = open_memstream(&text, &size);
	if (!f)
		return -ENOMEM;
	ret = sockcore_proc_show(view, net, f);
	if (fclose(f) && !ret)
		ret = -ENOMEM;
	if (!ret && size > (size_t)INT32_MAX)
		ret = -ENOMEM;
	if (!ret) {
		if (len)
			snprintf(buf, len, "%s", text);
		ret = (int)size;
	}
	free(text);
	return ret;
}
