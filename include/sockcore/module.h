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
 * try_module_get - take a reference, unless the module is going away.
 * Returns true (and a reference) if @mod is NULL or live. Lock-free.
 */
SOCKCORE_API bool try_module_get(struct module *mod);
/* module_put - drop a reference taken by try_module_get(). NULL is fine. */
SOCKCORE_API void module_put(struct module *mod);
/* __module_get - take a reference on a module already known to be live. */
SOCKCORE_API void __module_get(struct module *mod);
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
