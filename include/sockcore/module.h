/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/module.h> - modules: built-in and loadable protocol code.
 *
 * As in the kernel, code that owns a protocol family, a protocol-switch
 * entry or a proto is a module. Built-in code has owner NULL (THIS_MODULE is
 * NULL in built-in kernel code): references on it cost nothing. Loadable
 * modules are shared objects in the module folder; request_module() finds
 * them by alias through modules.alias (written at build time by
 * sockcore-depmod from each module's SOCKCORE_MODULE_ALIAS lines), dlopen()s
 * them and runs their init. A module that is in use (reference count above
 * its base) cannot be unloaded: sockcore_module_unload() returns -EBUSY.
 *
 * Writing a module:
 *
 *	static int __init_fn(void) { return inet_register_protosw(&sw); }
 *	static void __exit_fn(void) { inet_unregister_protosw(&sw); }
 *	SOCKCORE_MODULE("sctp", __init_fn, __exit_fn);
 *	SOCKCORE_MODULE_ALIAS("net-pf-2-proto-132");
 *
 * and reference its struct module as THIS_MODULE in the owner fields.
 */
#ifndef SOCKCORE_MODULE_H
#define SOCKCORE_MODULE_H

#include <stdbool.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

enum module_state {
	MODULE_STATE_LIVE,	/* normal state */
	MODULE_STATE_COMING,	/* init running */
	MODULE_STATE_GOING,	/* exit running or init failed */
	MODULE_STATE_UNFORMED,	/* not yet set up */
};

struct module {
	/* Set by the module (SOCKCORE_MODULE). */
	const char *name;
	int (*init)(void);
	void (*exit)(void);

	/* Owned by the loader; read with the accessors below. */
	int refcnt;		/* atomic; MODULE_REF_BASE while idle */
	int state;		/* atomic; enum module_state */
	void *handle;		/* dlopen() handle */
	struct module *next;	/* loaded-module list (module_mutex) */
};

#if defined(SOCKCORE_BUILDING_MODULE)
/* In a loadable module, THIS_MODULE is the module's own descriptor. */
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#else
/* In built-in code (the library itself, or a program defining its own
 * family), the owner is NULL: try_module_get(NULL) always succeeds. */
#define THIS_MODULE ((struct module *)0)
#endif

#define SOCKCORE_MODULE_SECTION "sockcore_modinfo"

#define SOCKCORE_MODULE(modname, initfn, exitfn)			\
	__attribute__((visibility("default")))				\
	struct module __this_module = {					\
		.name = (modname), .init = (initfn), .exit = (exitfn),	\
		.state = MODULE_STATE_UNFORMED,				\
	};								\
	static const char __sockcore_modname[]				\
	__attribute__((section(SOCKCORE_MODULE_SECTION), used, aligned(1))) = \
		"name=" modname

#define __SOCKCORE_CONCAT2(a, b) a##b
#define __SOCKCORE_CONCAT(a, b) __SOCKCORE_CONCAT2(a, b)
/* Declare an alias request_module() resolves to this module. */
#define SOCKCORE_MODULE_ALIAS(alias)					\
	static const char __SOCKCORE_CONCAT(__sockcore_alias_, __LINE__)[] \
	__attribute__((section(SOCKCORE_MODULE_SECTION), used, aligned(1))) = \
		"alias=" alias

/*
 * References, inline as in the kernel's <linux/module.h>: the creation
 * path takes and drops several per socket, almost always on built-in code
 * (NULL), which must cost a test and nothing more.
 *
 * A live module's refcnt is MODULE_REF_BASE plus its users; unloading
 * swaps MODULE_REF_BASE for 0 in one atomic step (sockcore_module_unload),
 * so a concurrent try_module_get() either took its reference first (and
 * the unload fails with -EBUSY) or finds 0 and fails.
 */
#define MODULE_REF_BASE 1

/*
 * try_module_get - take a reference, unless the module is going away.
 * Returns true (and a reference) if @mod is NULL or live. Lock-free.
 */
static inline bool try_module_get(struct module *mod)
{
	int old;

	if (!mod)
		return true;
	if (__atomic_load_n(&mod->state, __ATOMIC_ACQUIRE) == MODULE_STATE_GOING)
		return false;
	old = __atomic_load_n(&mod->refcnt, __ATOMIC_RELAXED);
	do {
		if (old == 0)
			return false;	/* being unloaded */
	} while (!__atomic_compare_exchange_n(&mod->refcnt, &old, old + 1,
			true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}

/* __module_get - take a reference on a module already known to be live. */
static inline void __module_get(struct module *mod)
{
	if (mod)
		__atomic_fetch_add(&mod->refcnt, 1, __ATOMIC_RELAXED);
}

/* module_put - drop a reference taken by try_module_get(). NULL is fine. */
static inline void module_put(struct module *mod)
{
	if (mod)
		__atomic_fetch_sub(&mod->refcnt, 1, __ATOMIC_RELEASE);
}

/* module_refcount - references held, not counting the base. */
SOCKCORE_API int module_refcount(struct module *mod);

/*
 * request_module - load the module that provides the alias (or name) that
 * @fmt formats to, as modprobe does. Returns 0 if it is loaded (now or
 * already), -ENOENT if no module provides it, -ENOSYS if module loading is
 * disabled, -ELOOP past the nesting limit, or the error of its init. Callers
 * on the socket path ignore the result and look again, as the kernel does.
 * May sleep (takes module_mutex); never call under rcu_read_lock().
 */
SOCKCORE_API int request_module(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Load a module by name, alias, or path to a .so file. Returns 0, -EEXIST
 * if already loaded, -ENOENT, -ENOEXEC (not a module), or its init's error. */
SOCKCORE_API int sockcore_module_load(const char *name);

/*
 * Unload a loaded module: -ENOENT if none by that name, -EBUSY while it has
 * references (sockets, families, protos from it in use). On success its
 * exit has run, a grace period has passed, and it has been dlclose()d.
 */
SOCKCORE_API int sockcore_module_unload(const char *name);

/* Turn request_module() off (like a kernel without module support) or on. */
SOCKCORE_API void sockcore_module_autoload(bool enable);

/*
 * Add a folder to search before the default ones (the folder beside the
 * library, then the installed module folder). SOCKCORE_MODULE_PATH in the
 * environment (colon-separated) is read at first use. Returns 0 or -ENOMEM.
 */
SOCKCORE_API int sockcore_module_add_path(const char *dir);

/* What lsmod shows. Calls @fn for each loaded module under module_mutex
 * (do not load or unload from @fn); stops at the first nonzero return. */
struct sockcore_module_info {
	const char *name;
	const char *path;
	int refcnt;
	enum module_state state;
};
SOCKCORE_API int sockcore_module_for_each(
	int (*fn)(const struct sockcore_module_info *info, void *arg), void *arg);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_MODULE_H */
