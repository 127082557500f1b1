/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/netlink.h> - AF_NETLINK sockets (net/netlink/af_netlink.c).
 *
 * A netlink socket can only be created for a protocol (unit) that a kernel
 * subsystem has registered, the way netlink_kernel_create() does; the
 * built-in set is what a stock Linux 6.18 registers at boot. For a unit
 * nobody registered, creation asks request_module("net-pf-16-proto-<unit>")
 * once, so a loadable module can provide it with netlink_register_protocol().
 * The table is read under RCU and written under a mutex.
 */
#ifndef SOCKCORE_NETLINK_H
#define SOCKCORE_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <sockcore/export.h>
#include <sockcore/sock.h>

SOCKCORE_BEGIN_DECLS

#define MAX_LINKS	32

struct module;

struct netlink_sock {
	struct sock sk;
	uint32_t portid;
	uint32_t dst_portid;
	uint32_t flags;
	struct module *module;	/* the unit's owner, referenced */
};

static inline struct netlink_sock *nlk_sk(const struct sock *sk)
{
	return (struct netlink_sock *)sk;
}

/*
 * netlink_register_protocol - make @unit creatable; sockets of it hold a
 * reference on @owner (NULL for built-in code). Returns 0, -EINVAL (unit
 * out of 0..MAX_LINKS-1), -EEXIST (already registered) or -ENOMEM.
 */
SOCKCORE_API int netlink_register_protocol(int unit, struct module *owner);
/*
 * netlink_unregister_protocol - make @unit uncreatable again, then wait for
 * an RCU grace period. Sockets already open keep working. Returns 0,
 * -EINVAL or -ENOENT (not registered).
 */
SOCKCORE_API int netlink_unregister_protocol(int unit);
/* Whether @unit is registered now. */
SOCKCORE_API bool netlink_protocol_registered(int unit);

SOCKCORE_API extern struct proto netlink_proto;

SOCKCORE_END_DECLS

#endif /* SOCKCORE_NETLINK_H */
