/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/proc.h> - the /proc-style views, in the kernel's own formats.
 *
 * Each view writes what the kernel's file of the same name shows, for the
 * network namespace @net (NULL: init_net), so habits and scripts that read
 * /proc work unchanged:
 *
 *	sockcore_proc_protocols		/proc/net/protocols
 *	sockcore_proc_sockstat		/proc/net/sockstat
 *	sockcore_proc_sockstat6		/proc/net/sockstat6
 *	sockcore_proc_raw		/proc/net/raw
 *	sockcore_proc_raw6		/proc/net/raw6
 *	sockcore_proc_fdinfo		/proc/self/fdinfo/<fd>
 *	sockcore_proc_modules		lsmod
 *	sockcore_proc_lsm		/sys/kernel/security/lsm
 *
 * and, where the kernel has no file, in a plain table of our own:
 *
 *	sockcore_proc_families		the family table (net_families[])
 *	sockcore_proc_protosw		the protocol switches inetsw, inetsw6
 *	sockcore_proc_fdtable		every descriptor of the calling
 *					thread's table, with its flags
 *
 * /proc/slabinfo is slabinfo_show() (<sockcore/slab.h>).
 *
 * Fields the library does not model print as the kernel prints them for a
 * protocol without them: memory -1, pressure "NI", maxhdr 0, a method "n";
 * socket inodes 0 (a socket and its file have no inode here).
 *
 * Every function returns 0, or -EIO when writing to @f failed. Counts are
 * exact when no creation races the view (they sum per-thread shards).
 */
#ifndef SOCKCORE_PROC_H
#define SOCKCORE_PROC_H

#include <stddef.h>
#include <stdio.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

struct net;

SOCKCORE_API int sockcore_proc_protocols(struct net *net, FILE *f);
SOCKCORE_API int sockcore_proc_sockstat(struct net *net, FILE *f);
SOCKCORE_API int sockcore_proc_sockstat6(struct net *net, FILE *f);
SOCKCORE_API int sockcore_proc_raw(struct net *net, FILE *f);
SOCKCORE_API int sockcore_proc_raw6(struct net *net, FILE *f);

/* "family name module" per registered family, lowest number first. */
SOCKCORE_API int sockcore_proc_families(struct net *net, FILE *f);
/* "family type protocol prot flags" per switch entry, in lookup order. */
SOCKCORE_API int sockcore_proc_protosw(struct net *net, FILE *f);

/* /proc/self/fdinfo/@fd of the calling thread's table ("pos:", "flags:"
 * in octal with O_CLOEXEC for close-on-exec, "mnt_id:", "ino:");
 * -EBADF for a descriptor that is not open. */
SOCKCORE_API int sockcore_proc_fdinfo(int fd, FILE *f);
/* "fd flags cloexec family type protocol" per open descriptor of the
 * calling thread's table. */
SOCKCORE_API int sockcore_proc_fdtable(FILE *f);

/* lsmod: "Module Size Used by" and a line per loaded module (Size is
 * the module file's size; built-in code is not listed, as in lsmod). */
SOCKCORE_API int sockcore_proc_modules(FILE *f);
/* The registered security modules, comma-separated, in call order, with
 * no trailing newline (as /sys/kernel/security/lsm). */
SOCKCORE_API int sockcore_proc_lsm(FILE *f);

/* Every view by number, for programs that pick one at run time. */
enum sockcore_proc_view {
	SOCKCORE_PROC_SLABINFO,
	SOCKCORE_PROC_PROTOCOLS,
	SOCKCORE_PROC_SOCKSTAT,
	SOCKCORE_PROC_SOCKSTAT6,
	SOCKCORE_PROC_RAW,
	SOCKCORE_PROC_RAW6,
	SOCKCORE_PROC_FAMILIES,
	SOCKCORE_PROC_PROTOSW,
	SOCKCORE_PROC_FDTABLE,
	SOCKCORE_PROC_MODULES,
	SOCKCORE_PROC_LSM,
	SOCKCORE_PROC_NR,
};

/* Write view @view of @net to @f: 0, -EIO, or -EINVAL for a bad @view. */
SOCKCORE_API int sockcore_proc_show(enum sockcore_proc_view view,
		struct net *net, FILE *f);
/*
 * Format view @view of @net into @buf like snprintf(): at most @len bytes
 * including the terminating NUL; returns the length the whole text needs
 * (so a first call with @len 0 sizes the buffer), or -EINVAL, -ENOMEM.
 */
SOCKCORE_API int sockcore_proc_snprint(enum sockcore_proc_view view,
		struct net *net, char *buf, size_t len);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_PROC_H */
