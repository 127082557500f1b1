/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables (fs/file.c) and the open-file count (fs/file_table.c).
 *
 * A table is a files_struct pointing at an fdtable: the file pointers, the
 * open-descriptor bitmap and the close-on-exec bitmap. Allocation and close
 * hold file_lock; a table that must grow is copied into a larger fdtable,
 * published with rcu_assign_pointer() and the old one freed after a grace
 * period, so lookups (fget) need only rcu_read_lock() and a reference.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <linux/capability.h>
#include <sockcore/fdtable.h>
#include <sockcore/task.h>
#include <sockcore/slab.h>
#include <sockcore/sock.h>
#include "kernel/rcu.h"
#include "kernel/percpu_counter.h"
#include "kernel/trace.h"
#include "kernel/fork.h"
#include "core/file.h"
#include "core/socket_internal.h"

#define BITS_PER_LONG	(8 * (unsigned int)sizeof(unsigned long))
#define NR_OPEN_DEFAULT	BITS_PER_LONG	/* first table size */
#define NR_OPEN_MAX	(1U << 20)	/* the kernel's sysctl_nr_open */

struct fdtable {
	struct file **fd;		/* RCU */
	unsigned long *open_fds;
	unsigned long *close_on_exec;
	unsigned int max_fds;		/* capacity of fd[] */
};

/* A table grown past the first one: freed after a grace period. */
struct fdtable_rcu {
	struct fdtable fdt;
	struct rcu_head rcu;
};

/*
 * As in the kernel, the first table (NR_OPEN_DEFAULT descriptors) is part
 * of the files_struct, laid out so that a descriptor's allocation or close
 * writes one line (the lock, the hints, the table's pointers, the open
 * bitmap) and one line of fd_array[]: two cache lines move between
 * threads that share a table, not five.
 */
struct files_struct {
	pthread_spinlock_t file_lock;
	unsigned int next_fd;		/* no free descriptor below this */
	unsigned int nr_open;		/* open descriptors */
	unsigned int limit;		/* RLIMIT_NOFILE of this table */
	struct fdtable *fdt;		/* RCU: &fdtab until the table grows */
	struct fdtable fdtab;
	unsigned long open_fds_init[1];
	/* read-mostly: close-on-exec bits are written only when they change */
	unsigned long close_on_exec_init[1];
	int count;			/* atomic references */
	struct files_struct *next;	/* all_files (files_list_mutex) */
	struct file *fd_array[NR_OPEN_DEFAULT] __attribute__((aligned(64)));
};

_Static_assert(offsetof(struct files_struct, close_on_exec_init) <= 64,
	       "the descriptor allocation state must fit one cache line");

static struct percpu_counter nr_files;
static unsigned long file_max = 8192;
static struct files_struct *default_files;
static pthread_mutex_t files_list_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct files_struct *all_files;

/* ---- fork: the list, then every table's lock --------------------------- */

static void files_fork_lock(void)
{
	pthread_mutex_lock(&files_list_mutex);
	for (struct files_struct *f = all_files; f; f = f->next)
		pthread_spin_lock(&f->file_lock);
}

static void files_fork_unlock(void)
{
	for (struct files_struct *f = all_files; f; f = f->next)
		pthread_spin_unlock(&f->file_lock);
	pthread_mutex_unlock(&files_list_mutex);
}

FORK_HOOK(files_fork, FORK_RANK_FILES, files_fork_lock, files_fork_unlock,
	  files_fork_unlock)

/* ---- bitmaps ----------------------------------------------------------- */

static unsigned int bitmap_longs(unsigned int bits)
{
	return (bits + BITS_PER_LONG - 1) / BITS_PER_LONG;
}

static unsigned int find_next_zero_bit(const unsigned long *map,
		unsigned int size, unsigned int start)
{
	for (unsigned int i = start / BITS_PER_LONG; i * BITS_PER_LONG < size; i++) {
		unsigned long w = ~map[i];

		if (i == start / BITS_PER_LONG)
			w &= ~0UL << (start % BITS_PER_LONG);
		if (w) {
			unsigned int bit = i * BITS_PER_LONG + __builtin_ctzl(w);

			return bit < size ? bit : size;
		}
	}
	return size;
}

/* Writers hold file_lock; F_GETFD reads without it, so words are loaded
 * and stored whole (relaxed atomics: the same instructions on x86). */
static void set_bit_in(unsigned long *map, unsigned int n, int on)
{
	unsigned long *word = &map[n / BITS_PER_LONG];
	unsigned long mask = 1UL << (n % BITS_PER_LONG);
	unsigned long v = __atomic_load_n(word, __ATOMIC_RELAXED);
	unsigned long nv = on ? v | mask : v & ~mask;

	/* no store when nothing changes: a line only read is not taken
	 * away from the other threads sharing the table */
	if (nv != v)
		__atomic_store_n(word, nv, __ATOMIC_RELAXED);
}

static int test_bit_in(const unsigned long *map, unsigned int n)
{
	return (__atomic_load_n(&map[n / BITS_PER_LONG], __ATOMIC_RELAXED) >>
		(n % BITS_PER_LONG)) & 1;
}

/* ---- fdtable ----------------------------------------------------------- */

/* A grown table (never the embedded first one). */
static void free_fdtable(struct fdtable *fdt)
{
	kfree(fdt->fd);
	kfree(fdt->open_fds);
	kfree(fdt->close_on_exec);
	kfree(caa_container_of(fdt, struct fdtable_rcu, fdt));
}

static void free_fdtable_rcu(struct rcu_head *head)
{
	rcu_callback_enter(head);
	free_fdtable(&caa_container_of(head, struct fdtable_rcu, rcu)->fdt);
	rcu_callback_exit();
}

static struct fdtable *alloc_fdtable(unsigned int nr)
{
	struct fdtable_rcu *r = kzalloc(sizeof(*r), GFP_KERNEL);
	size_t bm = bitmap_longs(nr) * sizeof(unsigned long);
	struct fdtable *fdt;

	if (!r)
		return NULL;
	fdt = &r->fdt;
	fdt->max_fds = nr;
	fdt->fd = kzalloc(nr * sizeof(struct file *), GFP_KERNEL);
	fdt->open_fds = kzalloc(bm, GFP_KERNEL);
	fdt->close_on_exec = kzalloc(bm, GFP_KERNEL);
	if (!fdt->fd || !fdt->open_fds || !fdt->close_on_exec) {
		free_fdtable(fdt);
		return NULL;
	}
	return fdt;
}

/* Grow so that descriptor @nr fits (file_lock held). Doubling, like the
 * kernel's expand_fdtable(); readers keep using the old copy until a grace
 * period has passed. */
static int expand_fdtable(struct files_struct *files, unsigned int nr)
{
	struct fdtable *old = files->fdt, *new;
	unsigned int size = old->max_fds;

	while (size <= nr)
		size *= 2;
	if (size > NR_OPEN_MAX)
		size = NR_OPEN_MAX;
	new = alloc_fdtable(size);
	if (!new)
		return -ENOMEM;
	memcpy(new->fd, old->fd, old->max_fds * sizeof(struct file *));
	memcpy(new->open_fds, old->open_fds,
	       bitmap_longs(old->max_fds) * sizeof(unsigned long));
	memcpy(new->close_on_exec, old->close_on_exec,
	       bitmap_longs(old->max_fds) * sizeof(unsigned long));
	rcu_assign_pointer(files->fdt, new);
	if (old != &files->fdtab)
		call_rcu(&caa_container_of(old, struct fdtable_rcu, fdt)->rcu,
			 free_fdtable_rcu);
	return 0;
}

/* ---- tables ------------------------------------------------------------ */

static unsigned int rlimit_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > NR_OPEN_MAX)
		return NR_OPEN_MAX;
	return (unsigned int)rl.rlim_cur;
}

struct files_struct *files_create(unsigned int max_fds)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (!files)
		return NULL;
	files->fdtab.max_fds = NR_OPEN_DEFAULT;
	files->fdtab.fd = files->fd_array;
	files->fdtab.open_fds = files->open_fds_init;
	files->fdtab.close_on_exec = files->close_on_exec_init;
	files->fdt = &files->fdtab;
	files->count = 1;
	files->limit = max_fds ? max_fds : rlimit_nofile();
	if (files->limit > NR_OPEN_MAX)
		files->limit = NR_OPEN_MAX;
	pthread_spin_init(&files->file_lock, PTHREAD_PROCESS_PRIVATE);
	pthread_mutex_lock(&files_list_mutex);
	files->next = all_files;
	all_files = files;
	pthread_mutex_unlock(&files_list_mutex);
	return files;
}

struct files_struct *files_get(struct files_struct *files)
{
	__atomic_fetch_add(&files->count, 1, __ATOMIC_RELAXED);
	return files;
}

static void close_all(struct files_struct *files)
{
	struct fdtable *fdt = files->fdt;	/* last user: no lock needed */

	for (unsigned int fd = 0; fd < fdt->max_fds; fd++)
		if (fdt->fd[fd])
			close_fd(files, (int)fd);
}

static void unlist_files(struct files_struct *files)
{
	pthread_mutex_lock(&files_list_mutex);
	for (struct files_struct **pp = &all_files; *pp; pp = &(*pp)->next) {
		if (*pp == files) {
			*pp = files->next;
			break;
		}
	}
	pthread_mutex_unlock(&files_list_mutex);
}

void files_put(struct files_struct *files)
{
	if (__atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL))
		return;
	close_all(files);
	unlist_files(files);
	pthread_spin_destroy(&files->file_lock);
	/* a lookup may still be reading the table through RCU */
	synchronize_rcu();
	if (files->fdt != &files->fdtab)
		free_fdtable(files->fdt);
	kfree(files);
}

struct files_struct *files_default(void)
{
	/* asked before the first socket: the library starts up now */
	if (__builtin_expect(!__atomic_load_n(&default_files, __ATOMIC_ACQUIRE), 0))
		sockcore_ensure_init();
	return default_files;
}

int files_set_limit(struct files_struct *files, unsigned int max_fds)
{
	if (max_fds > NR_OPEN_MAX)
		return -EINVAL;
	__atomic_store_n(&files->limit, max_fds, __ATOMIC_RELAXED);
	return 0;
}

unsigned int files_get_limit(struct files_struct *files)
{
	return __atomic_load_n(&files->limit, __ATOMIC_RELAXED);
}

unsigned int files_count(struct files_struct *files)
{
	return __atomic_load_n(&files->nr_open, __ATOMIC_RELAXED);
}

/* ---- fs.file-max --------------------------------------------------------- */

void sockcore_set_file_max(unsigned long max)
{
	__atomic_store_n(&file_max, max, __ATOMIC_RELAXED);
}

unsigned long sockcore_get_file_max(void)
{
	return __atomic_load_n(&file_max, __ATOMIC_RELAXED);
}

unsigned long sockcore_nr_files(void)
{
	long n = percpu_counter_sum(&nr_files);

	return n > 0 ? (unsigned long)n : 0;
}

/* The kernel's alloc_empty_file() check: privileged callers may go past. */
static bool files_over_limit(void)
{
	if (percpu_counter_compare(&nr_files, (long)sockcore_get_file_max()) < 0)
		return false;
	return !capable(CAP_SYS_ADMIN);
}

void file_accounting_dec(void)
{
	percpu_counter_add(&nr_files, -1);
}

/* ---- descriptors --------------------------------------------------------- */

int file_account_new(void)
{
	if (files_over_limit())
		return -ENFILE;
	percpu_counter_add(&nr_files, 1);
	return 0;
}

/* Find and reserve a descriptor (file_lock held): the number, or -EMFILE /
 * -ENOMEM; with @new_file, also the fs.file-max check (-ENFILE). */
static int alloc_fd_locked(struct files_struct *files, unsigned int start,
		int cloexec, bool new_file)
{
	struct fdtable *fdt = files->fdt;
	unsigned int fd;
	int err;

	if (start < files->next_fd)
		start = files->next_fd;
	/* past the table's end every number is free: the table grows */
	fd = start < fdt->max_fds ?
		find_next_zero_bit(fdt->open_fds, fdt->max_fds, start) : start;
	err = -EMFILE;
	if (fd >= files->limit)
		goto out;
	if (new_file) {
		err = file_account_new();
		if (err)
			goto out;
	}
	if (fd >= fdt->max_fds) {
		err = expand_fdtable(files, fd);
		if (err)
			goto out_unaccount;
		fdt = files->fdt;
	}
	set_bit_in(fdt->open_fds, fd, 1);
	set_bit_in(fdt->close_on_exec, fd, cloexec);
	if (start == files->next_fd)
		files->next_fd = fd + 1;
	files->nr_open++;
	return (int)fd;
out_unaccount:
	if (new_file)
		file_accounting_dec();
out:
	return err;
}

int fd_install_new(struct files_struct *files, struct file *file,
		unsigned int start, int cloexec, bool new_file)
{
	int fd;

	pthread_spin_lock(&files->file_lock);
	fd = alloc_fd_locked(files, start, cloexec, new_file);
	if (fd >= 0)
		rcu_assign_pointer(files->fdt->fd[fd], file);
	pthread_spin_unlock(&files->file_lock);
	return fd;
}

int get_unused_fd_flags(struct files_struct *files, int cloexec)
{
	int fd;

	pthread_spin_lock(&files->file_lock);
	fd = alloc_fd_locked(files, 0, cloexec, false);
	pthread_spin_unlock(&files->file_lock);
	return fd;
}

void fd_install(struct files_struct *files, int fd, struct file *file)
{
	pthread_spin_lock(&files->file_lock);
	rcu_assign_pointer(files->fdt->fd[fd], file);
	pthread_spin_unlock(&files->file_lock);
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	struct fdtable *fdt = files->fdt;

	set_bit_in(fdt->open_fds, fd, 0);
	set_bit_in(fdt->close_on_exec, fd, 0);
	if (fd < files->next_fd)
		files->next_fd = fd;
	files->nr_open--;
}

void put_unused_fd(struct files_struct *files, int fd)
{
	pthread_spin_lock(&files->file_lock);
	__put_unused_fd(files, (unsigned int)fd);
	pthread_spin_unlock(&files->file_lock);
}

struct file *fget(struct files_struct *files, int fd)
{
	struct fdtable *fdt;
	struct file *file;
	long count;

	if (fd < 0)
		return NULL;
	rcu_read_lock();
again:
	fdt = rcu_dereference(files->fdt);
	file = (unsigned int)fd < fdt->max_fds ? rcu_dereference(fdt->fd[fd]) : NULL;
	if (file) {
		count = __atomic_load_n(&file->f_count, __ATOMIC_RELAXED);
		do {
			if (count == 0)
				goto again;	/* being freed: look again */
		} while (!__atomic_compare_exchange_n(&file->f_count, &count,
				count + 1, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
		/* the object may have been freed and reused: same slot? */
		if (file != rcu_dereference(rcu_dereference(files->fdt)->fd[fd])) {
			fput(file);
			goto again;
		}
	}
	rcu_read_unlock();
	return file;
}

void fput(struct file *file)
{
	if (__atomic_sub_fetch(&file->f_count, 1, __ATOMIC_ACQ_REL) == 0)
		file->f_op->release(file);
}

int close_fd(struct files_struct *files, int fd)
{
	struct fdtable *fdt;
	struct file *file = NULL;

	pthread_spin_lock(&files->file_lock);
	fdt = files->fdt;
	if (fd >= 0 && (unsigned int)fd < fdt->max_fds)
		file = fdt->fd[fd];
	if (file) {
		rcu_assign_pointer(fdt->fd[fd], NULL);
		__put_unused_fd(files, (unsigned int)fd);
	}
	pthread_spin_unlock(&files->file_lock);
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}

int get_close_on_exec(struct files_struct *files, int fd)
{
	struct fdtable *fdt;
	int ret = -EBADF;

	rcu_read_lock();
	fdt = rcu_dereference(files->fdt);
	if (fd >= 0 && (unsigned int)fd < fdt->max_fds && rcu_dereference(fdt->fd[fd]))
		ret = test_bit_in(fdt->close_on_exec, (unsigned int)fd);
	rcu_read_unlock();
	return ret;
}

int set_close_on_exec(struct files_struct *files, int fd, int on)
{
	struct fdtable *fdt;
	int ret = -EBADF;

	pthread_spin_lock(&files->file_lock);
	fdt = files->fdt;
	if (fd >= 0 && (unsigned int)fd < fdt->max_fds && fdt->fd[fd]) {
		set_bit_in(fdt->close_on_exec, (unsigned int)fd, on);
		ret = 0;
	}
	pthread_spin_unlock(&files->file_lock);
	return ret;
}

/* ---- init and shutdown ------------------------------------------------------ */

static void read_file_max(void)
{
	FILE *f = fopen("/proc/sys/fs/file-max", "re");
	unsigned long v;

	if (f) {
		if (fscanf(f, "%lu", &v) == 1)
			file_max = v;
		fclose(f);
	}
}

int files_init(void)
{
	struct files_struct *files;

	if (default_files)
		return 0;
	read_file_max();
	files = files_create(0);
	if (!files)
		return -ENOMEM;
	__atomic_store_n(&default_files, files, __ATOMIC_RELEASE);
	return 0;
}

/* Close every descriptor of every table; free the default table. Tables
 * the application made stay (it holds references) but are emptied. */
void files_shutdown(void)
{
	struct files_struct *f;

	pthread_mutex_lock(&files_list_mutex);
	for (f = all_files; f; f = f->next) {
		files_get(f);
		pthread_mutex_unlock(&files_list_mutex);
		close_all(f);
		pthread_mutex_lock(&files_list_mutex);
		__atomic_sub_fetch(&f->count, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&files_list_mutex);
	f = __atomic_exchange_n(&default_files, NULL, __ATOMIC_ACQ_REL);
	if (f)
		files_put(f);
}

int sockcore_fdinfo(int fd, struct sockcore_fdinfo *info)
{
	struct files_struct *files = current_files();
	struct file *file = fget(files, fd);
	struct sock *sk;

	if (!file)
		return -EBADF;
	memset(info, 0, sizeof(*info));
	info->fd = fd;
	info->flags = __atomic_load_n(&file->f_flags, __ATOMIC_RELAXED);
	info->cloexec = get_close_on_exec(files, fd) > 0;
	sk = file->private_data ? file->private_data->sk : NULL;
	if (sk) {
		info->family = sk->sk_family;
		info->type = sk->sk_type;
		info->protocol = sk->sk_protocol;
	}
	fput(file);
	return 0;
}
