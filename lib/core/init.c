/* SPDX-License-Identifier: MIT */
/*
 * Library start-up and shutdown: what the kernel does at boot
 * (sock_init, the family inits) happens here on first use.
 */
#include <errno.h>
#include <pthread.h>
#include <sockcore/sockcore.h>
#include "kernel/kmod.h"
#include "kernel/rcu.h"
#include "core/builtin.h"
#include "core/file.h"
#include "core/netns.h"
#include "core/socket_internal.h"
#include "core/task_internal.h"
#include "kernel/fork.h"

int sockcore_ready;
static pthread_mutex_t init_mutex = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(init_fork, FORK_RANK_INIT, &init_mutex)

struct builtin {
	int (*init)(void);
	void (*exit)(void);
};

/* Boot order: the families in the order the kernel's initcalls run them. */
static const struct builtin builtins[] = {
	{ netlink_proto_init, netlink_proto_exit },
	{ af_unix_init, af_unix_exit },
	{ inet_init, inet_exit },
	{ inet6_init, inet6_exit },
	{ packet_init, packet_exit },
};
#define NR_BUILTINS (sizeof(builtins) / sizeof(builtins[0]))

static void builtins_exit(size_t n)
{
	while (n--)
		builtins[n].exit();
}

static int do_init(void)
{
	size_t i;
	int err;

	err = net_ns_init();
	if (err)
		return err;
	err = files_init();
	if (err)
		goto out_net;
	err = sock_init();
	if (err)
		goto out_files;
	for (i = 0; i < NR_BUILTINS; i++) {
		err = builtins[i].init();
		if (err)
			goto out_builtins;
	}
	return 0;

out_builtins:
	builtins_exit(i);
	sock_exit();
out_files:
	files_shutdown();
out_net:
	net_ns_shutdown();
	return err;
}

int sockcore_init_slow(void)
{
	int err = 0;

	pthread_mutex_lock(&init_mutex);
	if (!sockcore_ready) {
		err = do_init();
		if (!err)
			__atomic_store_n(&sockcore_ready, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&init_mutex);
	return err;
}

int sockcore_init(void)
{
	return sockcore_ensure_init();
}

/*
 * The caches themselves stay, like the kernel's kmalloc caches: other
 * threads may still hold per-thread arrays of them, and the library may
 * start again. What they hold is reachable, so leak checkers report
 * nothing; empty slabs go back to the arena.
 */
static int shrink_cache(struct kmem_cache *s, void *arg)
{
	kmem_cache_shrink(s);
	return 0;
}

void sockcore_shutdown(void)
{
	pthread_mutex_lock(&init_mutex);
	if (sockcore_ready) {
		__atomic_store_n(&sockcore_ready, 0, __ATOMIC_RELEASE);
		task_shutdown();
		files_shutdown();
		module_shutdown();
		builtins_exit(NR_BUILTINS);
		sock_exit();
		proto_shutdown();
		net_ns_shutdown();
		rcu_barrier();
		kmem_cache_for_each(shrink_cache, NULL);
	}
	pthread_mutex_unlock(&init_mutex);
}

const char *sockcore_version(void)
{
	return SOCKCORE_VERSION_STRING;
}
