/* SPDX-License-Identifier: MIT */
/*
 * Modules (kernel/module/main.c and kernel/module/kmod.c).
 *
 * A loadable module is a shared object exporting `__this_module`
 * (SOCKCORE_MODULE). request_module() resolves an alias to a module name
 * through modules.alias in each search folder, as modprobe does, dlopen()s
 * the file and runs its init. Reference counting follows the kernel: a
 * live module's refcnt is MODULE_REF_BASE plus its users; unloading swaps
 * MODULE_REF_BASE for 0 atomically, so a concurrent try_module_get() either
 * got its reference first (and the unload fails with EBUSY) or fails.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sockcore/module.h>
#include <sockcore/slab.h>
#include "kernel/rcu.h"
#include "kernel/kmod.h"
#include "kernel/trace.h"
#include "kernel/fork.h"

#define MAX_MODPROBE_DEPTH	8	/* nested request_module() calls */
#define MODULE_ALIAS_FILE	"modules.alias"

/* Serialises load, unload and the module list; recursive because a
 * module's init may itself request a module. */
static pthread_mutex_t module_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static void module_fork_lock(void)
{
	pthread_mutex_lock(&module_mutex);
}

static void module_fork_unlock(void)
{
	pthread_mutex_unlock(&module_mutex);
}

static void module_fork_child(void)
{
	pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

	module_mutex = fresh;
}

FORK_HOOK(module_fork, FORK_RANK_MODULE, module_fork_lock, module_fork_unlock,
	  module_fork_child)
static struct module *modules;		/* loaded modules, newest first */
static bool autoload_disabled;
static __thread int modprobe_depth;

struct search_dir {
	struct search_dir *next;
	char path[];
};
static struct search_dir *extra_dirs;	/* user and SOCKCORE_MODULE_PATH */
static bool env_path_read;

/* ---- references (the rest is inline in <sockcore/module.h>) ---- */

int module_refcount(struct module *mod)
{
	if (!mod)
		return 0;
	return __atomic_load_n(&mod->refcnt, __ATOMIC_RELAXED) - MODULE_REF_BASE;
}

/* ---- search folders --------------------------------------------------- */

static int add_dir_locked(const char *dir, size_t len)
{
	struct search_dir *d, **tail;

	if (len == 0)
		return 0;
	d = kmalloc(sizeof(*d) + len + 1, GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	memcpy(d->path, dir, len);
	d->path[len] = '\0';
	d->next = NULL;
	for (tail = &extra_dirs; *tail; tail = &(*tail)->next)
		;
	*tail = d;
	return 0;
}

int sockcore_module_add_path(const char *dir)
{
	int err;

	if (!dir)
		return -EINVAL;
	pthread_mutex_lock(&module_mutex);
	err = add_dir_locked(dir, strlen(dir));
	pthread_mutex_unlock(&module_mutex);
	return err;
}

static void free_dirs(struct search_dir *d)
{
	while (d) {
		struct search_dir *next = d->next;

		kfree(d);
		d = next;
	}
}

/* SOCKCORE_MODULE_PATH, once: all its folders or, on ENOMEM, none (and
 * it is read again next time), never a silently shortened path. */
static int read_env_path_locked(void)
{
	const char *env, *p, *colon;
	struct search_dir **mark;
	int err;

	if (env_path_read)
		return 0;
	for (mark = &extra_dirs; *mark; mark = &(*mark)->next)
		;
	env = getenv("SOCKCORE_MODULE_PATH");
	for (p = env; p && *p; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		err = add_dir_locked(p, colon ? (size_t)(colon - p) : strlen(p));
		if (err) {
			free_dirs(*mark);
			*mark = NULL;
			return err;
		}
	}
	env_path_read = true;
	return 0;
}

/* The module folder beside the library: <libdir>/sockcore/modules, the same
 * relative place in the build tree and in an installation. */
static int beside_library(char *buf, size_t size)
{
	Dl_info info;
	const char *slash;

	if (!dladdr((void *)beside_library, &info) || !info.dli_fname)
		return -ENOENT;
	slash = strrchr(info.dli_fname, '/');
	if (!slash)
		return -ENOENT;
	if (snprintf(buf, size, "%.*s/%s", (int)(slash - info.dli_fname),
		     info.dli_fname, SOCKCORE_MODULE_SUBDIR) >= (int)size)
		return -ENAMETOOLONG;
	return 0;
}

/* Calls @fn for each folder in search order until it returns nonzero;
 * a negative errno if the search path cannot be read. */
static int for_each_dir_locked(int (*fn)(const char *dir, void *arg), void *arg)
{
	char here[PATH_MAX];
	int ret;

	ret = read_env_path_locked();
	if (ret)
		return ret;
	for (struct search_dir *d = extra_dirs; d; d = d->next) {
		ret = fn(d->path, arg);
		if (ret)
			return ret;
	}
	if (beside_library(here, sizeof(here)) == 0) {
		ret = fn(here, arg);
		if (ret)
			return ret;
	}
	return fn(SOCKCORE_INSTALL_MODULEDIR, arg);
}

/* ---- alias resolution (modprobe) -------------------------------------- */

struct resolve {
	const char *want;	/* alias or module name */
	char path[PATH_MAX];
};

static int module_file(const char *dir, const char *name, char *out, size_t size)
{
	if (snprintf(out, size, "%s/%s.so", dir, name) >= (int)size)
		return 0;
	return access(out, R_OK) == 0;
}

/* One folder: an "alias <alias> <module>" line, or a file <want>.so. */
static int resolve_in_dir(const char *dir, void *arg)
{
	struct resolve *r = arg;
	char file[PATH_MAX], line[512], alias[256], name[256];
	FILE *f;
	int found = 0;

	if (snprintf(file, sizeof(file), "%s/%s", dir, MODULE_ALIAS_FILE)
	    < (int)sizeof(file) && (f = fopen(file, "re"))) {
		while (!found && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "alias %255s %255s", alias, name) == 2 &&
			    strcmp(alias, r->want) == 0)
				found = module_file(dir, name, r->path,
						    sizeof(r->path));
		}
		fclose(f);
	}
	if (!found)
		found = module_file(dir, r->want, r->path, sizeof(r->path));
	return found;
}

/* ---- load and unload --------------------------------------------------- */

static struct module *find_module_locked(const char *name)
{
	for (struct module *m = modules; m; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

static void unlink_module_locked(struct module *mod)
{
	for (struct module **pp = &modules; *pp; pp = &(*pp)->next) {
		if (*pp == mod) {
			*pp = mod->next;
			break;
		}
	}
}

/* After a module's exit (or failed init): no RCU reader may still run its
 * code or read its data, and no call_rcu callback of it may be pending,
 * before the object is unmapped. */
static void free_module_locked(struct module *mod)
{
	void *handle = mod->handle;

	unlink_module_locked(mod);
	synchronize_rcu();
	rcu_barrier();
	mod->handle = NULL;
	__atomic_store_n(&mod->state, MODULE_STATE_UNFORMED, __ATOMIC_RELAXED);
	dlclose(handle);
}

static int do_init_module_locked(struct module *mod)
{
	int err;

	mod->refcnt = MODULE_REF_BASE;
	__atomic_store_n(&mod->state, MODULE_STATE_COMING, __ATOMIC_RELEASE);
	mod->next = modules;
	modules = mod;
	trace_enter(TP_MODULE_INIT);
	err = mod->init ? mod->init() : 0;
	trace_exit(TP_MODULE_INIT, err);
	if (err) {
		/* the kernel's do_init_module: a failed init leaves nothing */
		__atomic_store_n(&mod->state, MODULE_STATE_GOING, __ATOMIC_RELEASE);
		free_module_locked(mod);
		return err > 0 ? -err : err;
	}
	__atomic_store_n(&mod->state, MODULE_STATE_LIVE, __ATOMIC_RELEASE);
	return 0;
}

static int load_module_locked(const char *path)
{
	struct module *mod;
	void *handle;

	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "sockcore: cannot load module %s: %s\n",
			path, dlerror());
		return access(path, R_OK) == 0 ? -ENOEXEC : -ENOENT;
	}
	mod = dlsym(handle, "__this_module");
	if (!mod || !mod->name) {
		dlclose(handle);
		return -ENOEXEC;
	}
	if (find_module_locked(mod->name)) {
		dlclose(handle);	/* refcounted by the loader: same object */
		return -EEXIST;
	}
	mod->handle = handle;
	return do_init_module_locked(mod);
}

static int modprobe_locked(const char *want)
{
	struct resolve r = { .want = want };
	int err;

	if (find_module_locked(want))
		return 0;
	err = for_each_dir_locked(resolve_in_dir, &r);
	if (err <= 0)
		return err ? err : -ENOENT;
	/* by alias: the module may be loaded already under its own name */
	err = load_module_locked(r.path);
	return err == -EEXIST ? 0 : err;
}

int request_module(const char *fmt, ...)
{
	char name[256];
	va_list ap;
	int n, err;

	if (__atomic_load_n(&autoload_disabled, __ATOMIC_RELAXED))
		return -ENOSYS;
	va_start(ap, fmt);
	n = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(name))
		return -ENAMETOOLONG;
	if (modprobe_depth >= MAX_MODPROBE_DEPTH)
		return -ELOOP;
	trace_enter(TP_REQUEST_MODULE);
	modprobe_depth++;
	pthread_mutex_lock(&module_mutex);
	err = modprobe_locked(name);
	pthread_mutex_unlock(&module_mutex);
	modprobe_depth--;
	trace_exit(TP_REQUEST_MODULE, err);
	return err;
}

int sockcore_module_load(const char *name)
{
	struct resolve r = { .want = name };
	int err;

	if (!name || !*name)
		return -EINVAL;
	pthread_mutex_lock(&module_mutex);
	if (find_module_locked(name))
		err = -EEXIST;
	else if (strchr(name, '/'))
		err = load_module_locked(name);
	else if ((err = for_each_dir_locked(resolve_in_dir, &r)) > 0)
		err = load_module_locked(r.path);
	else if (!err)
		err = -ENOENT;
	pthread_mutex_unlock(&module_mutex);
	return err;
}

/* The kernel's try_stop_module: succeed only with no user left. */
static bool try_stop_module(struct module *mod)
{
	int base = MODULE_REF_BASE;

	return __atomic_compare_exchange_n(&mod->refcnt, &base, 0, false,
			__ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

static int unload_locked(struct module *mod)
{
	if (mod->state != MODULE_STATE_LIVE)
		return -EBUSY;
	if (!try_stop_module(mod))
		return -EBUSY;
	__atomic_store_n(&mod->state, MODULE_STATE_GOING, __ATOMIC_RELEASE);
	if (mod->exit)
		mod->exit();
	free_module_locked(mod);
	return 0;
}

int sockcore_module_unload(const char *name)
{
	struct module *mod;
	int err;

	if (!name)
		return -EINVAL;
	pthread_mutex_lock(&module_mutex);
	mod = find_module_locked(name);
	err = mod ? unload_locked(mod) : -ENOENT;
	pthread_mutex_unlock(&module_mutex);
	return err;
}

void sockcore_module_autoload(bool enable)
{
	__atomic_store_n(&autoload_disabled, !enable, __ATOMIC_RELAXED);
}

int sockcore_module_for_each(
	int (*fn)(const struct sockcore_module_info *info, void *arg), void *arg)
{
	struct sockcore_module_info info;
	Dl_info dl;
	int ret = 0;

	pthread_mutex_lock(&module_mutex);
	for (struct module *m = modules; m && !ret; m = m->next) {
		info.name = m->name;
		info.path = dladdr(m, &dl) && dl.dli_fname ? dl.dli_fname : "";
		info.refcnt = module_refcount(m);
		info.state = (enum module_state)m->state;
		ret = fn(&info, arg);
	}
	pthread_mutex_unlock(&module_mutex);
	return ret;
}

/* Library shutdown: every socket is closed, so every module is idle. */
void module_shutdown(void)
{
	pthread_mutex_lock(&module_mutex);
	while (modules) {
		if (unload_locked(modules)) {
			fprintf(stderr, "sockcore: module %s still in use at "
				"shutdown (%d references)\n", modules->name,
				module_refcount(modules));
			unlink_module_locked(modules);
		}
	}
	free_dirs(extra_dirs);
	extra_dirs = NULL;
	env_path_read = false;
	autoload_disabled = false;
	pthread_mutex_unlock(&module_mutex);
}
