/* SPDX-License-Identifier: MIT */
/*
 * Open files and descriptor tables, internal side (fs/file.c, fs/file_table.c).
 *
 * A socket's struct file lives in the same slab object as its struct
 * socket (see socket.c); that cache is SLAB_TYPESAFE_BY_RCU, so a lockless
 * lookup that races a close reads a valid f_count and re-checks the table.
 */
#ifndef SOCKCORE_CORE_FILE_H
#define SOCKCORE_CORE_FILE_H

#include <stdbool.h>
#include <sockcore/fdtable.h>
#include <sockcore/net.h>

struct file;

struct file_operations {
	/* the last reference went: release what the file stands for */
	void (*release)(struct file *file);
};

struct file {
	long f_count;			/* atomic */
	unsigned int f_flags;		/* O_RDWR | O_NONBLOCK */
	const struct file_operations *f_op;
	struct socket *private_data;
};

static inline void file_init(struct file *f, const struct file_operations *op,
		unsigned int flags, struct socket *sock)
{
	__atomic_store_n(&f->f_count, 1, __ATOMIC_RELAXED);
	f->f_flags = flags;
	f->f_op = op;
	f->private_data = sock;
}

/* Drop a reference; the last one releases the file. */
void fput(struct file *file);

/*
 * Give @file a descriptor in @files: the lowest free number at or above
 * @start, close-on-exec if @cloexec. Returns the descriptor, -EMFILE
 * (table limit, checked first as in the kernel), -ENFILE (@new_file and
 * fs.file-max reached: the file is counted as open from here on) or
 * -ENOMEM (growth). The table takes over the caller's reference.
 */
int fd_install_new(struct files_struct *files, struct file *file,
		unsigned int start, int cloexec, bool new_file);

/* The kernel's trio, for callers that must reserve descriptors before
 * they have files (socketpair): reserve the lowest free descriptor
 * (-EMFILE/-ENOMEM), install a file in it, or give it back unused. */
int get_unused_fd_flags(struct files_struct *files, int cloexec);
void fd_install(struct files_struct *files, int fd, struct file *file);
void put_unused_fd(struct files_struct *files, int fd);

/* Count a new open file against fs.file-max: 0 or -ENFILE. */
int file_account_new(void);

/* Look up @fd in @files with a reference (fput() it), or NULL. */
struct file *fget(struct files_struct *files, int fd);

/* Remove @fd and drop the table's reference: 0 or -EBADF. */
int close_fd(struct files_struct *files, int fd);

/* FD_CLOEXEC of @fd: get returns 0/1 or -EBADF; set returns 0 or -EBADF. */
int get_close_on_exec(struct files_struct *files, int fd);
int set_close_on_exec(struct files_struct *files, int fd, int on);

/* A file counted by fd_install_new(@new_file) is released: uncount it. */
void file_accounting_dec(void);

/* Library init/shutdown: the default table; shutdown closes every table. */
int files_init(void);
void files_shutdown(void);

#endif /* SOCKCORE_CORE_FILE_H */
