/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/fdtable.h> - descriptor tables (the kernel's files_struct).
 *
 * A table maps small integers to open sockets: lowest free number first,
 * close-on-exec per descriptor, a per-table limit (EMFILE) and a process-
 * wide limit on open files (ENFILE, fs.file-max). Several tables may exist
 * in one process (separate instances); each thread uses the default table
 * unless sockcore_switch_files() says otherwise.
 *
 * Locking: allocation and close take the table's lock; lookups are
 * lockless (RCU plus a reference on the file) and safe against a
 * concurrent close of the same descriptor.
 */
#ifndef SOCKCORE_FDTABLE_H
#define SOCKCORE_FDTABLE_H

#include <stddef.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

struct files_struct;

/*
 * files_create - a new, empty table allowing @max_fds descriptors
 * (0: the process's RLIMIT_NOFILE soft limit, as the kernel uses). One
 * reference. NULL on ENOMEM.
 */
SOCKCORE_API struct files_struct *files_create(unsigned int max_fds);
/* References: the last put closes every descriptor left and frees it. */
SOCKCORE_API struct files_struct *files_get(struct files_struct *files);
SOCKCORE_API void files_put(struct files_struct *files);

/* The process-wide default table. */
SOCKCORE_API struct files_struct *files_default(void);

/* Change the descriptor limit (RLIMIT_NOFILE of the table). Descriptors
 * already at or above the new limit stay open. Returns 0 or -EINVAL. */
SOCKCORE_API int files_set_limit(struct files_struct *files, unsigned int max_fds);
SOCKCORE_API unsigned int files_get_limit(struct files_struct *files);
/* Open descriptors in the table. */
SOCKCORE_API unsigned int files_count(struct files_struct *files);

/*
 * Process-wide limit on open files (fs.file-max; default: the machine's
 * /proc/sys/fs/file-max). Creating a descriptor past it fails with ENFILE,
 * unless the caller has CAP_SYS_ADMIN, as in the kernel.
 */
SOCKCORE_API void sockcore_set_file_max(unsigned long max);
SOCKCORE_API unsigned long sockcore_get_file_max(void);
/* Open files in the process (all tables). */
SOCKCORE_API unsigned long sockcore_nr_files(void);

/* What /proc/self/fdinfo shows, for one descriptor of the calling thread's
 * table: returns 0 and fills @info, or -EBADF. */
struct sockcore_fdinfo {
	int fd;
	unsigned int flags;	/* O_RDWR | O_NONBLOCK ... as in "flags:" */
	int cloexec;		/* FD_CLOEXEC set */
	int family, type, protocol;
};
SOCKCORE_API int sockcore_fdinfo(int fd, struct sockcore_fdinfo *info);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_FDTABLE_H */
