/* SPDX-License-Identifier: MIT */
/*
 * fcntl(2) on libsockcore descriptors (fs/fcntl.c): descriptor flags,
 * file status flags and duplication.
 */
#include <errno.h>
#include <fcntl.h>
#include <sockcore/sockcore.h>
#include "core/file.h"
#include "core/socket_internal.h"
#include "core/task_internal.h"

/* The status flags F_SETFL may change (the kernel's SETFL_MASK). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME | O_ASYNC)

static int setfl(struct file *file, unsigned long arg)
{
	unsigned int flags = (unsigned int)arg, old;

	/* sockets cannot do direct I/O: the kernel refuses, it does not
	 * ignore the bit */
	if (flags & O_DIRECT)
		return -EINVAL;
	/* the kernel updates f_flags under f_lock; a compare-and-swap keeps
	 * two concurrent F_SETFLs from losing the bits the other kept */
	old = __atomic_load_n(&file->f_flags, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&file->f_flags, &old,
			(old & ~SETFL_MASK) | (flags & SETFL_MASK), true,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return 0;
}

/* The kernel passes the argument on as an int, then as an unsigned
 * "from": a high word is dropped, a negative number is out of range. */
static int dupfd(struct files_struct *files, struct file *file, long arg,
		int cloexec)
{
	unsigned int from = (unsigned int)(int)arg;
	int fd;

	if (from >= files_get_limit(files))
		return -EINVAL;
	__atomic_fetch_add(&file->f_count, 1, __ATOMIC_RELAXED);
	fd = fd_install_new(files, file, from, cloexec, false);
	if (fd < 0)
		fput(file);
	return fd;
}

static int do_fcntl(struct files_struct *files, int fd, int cmd, long arg,
		struct file *file)
{
	switch (cmd) {
	case F_DUPFD:
		return dupfd(files, file, arg, 0);
	case F_DUPFD_CLOEXEC:
		return dupfd(files, file, arg, 1);
	case F_GETFD:
		return get_close_on_exec(files, fd);
	case F_SETFD:
		return set_close_on_exec(files, fd, (arg & FD_CLOEXEC) != 0);
	case F_GETFL:
		return (int)__atomic_load_n(&file->f_flags, __ATOMIC_RELAXED);
	case F_SETFL:
		return setfl(file, (unsigned long)arg);
	default:
		return -EINVAL;
	}
}

int sys_fcntl(int fd, int cmd, long arg)
{
	struct files_struct *files;
	struct file *file;
	int err;

	if (!sockcore_initialised())
		return -EBADF;
	files = __current_files();
	file = fget(files, fd);
	if (!file)
		return -EBADF;
	err = do_fcntl(files, fd, cmd, arg, file);
	fput(file);
	return err;
}
