/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/net_namespace.h> - network namespaces.
 *
 * A struct net holds what the socket-creation path reads per namespace:
 * sysctls, the per-protocol in-use counters and the raw socket tables.
 * Namespaces are reference counted: user sockets pin theirs (sk_net_refcnt),
 * kernel sockets do not, as in the kernel. init_net always exists.
 *
 * Sysctls are plain fields; write them before sockets are created in the
 * namespace, or accept that a concurrent creation may see the old value
 * (as with the kernel's sysctls, each is read once per creation).
 */
#ifndef SOCKCORE_NET_NAMESPACE_H
#define SOCKCORE_NET_NAMESPACE_H

#include <stdbool.h>
#include <sys/types.h>
#include <sockcore/export.h>

SOCKCORE_BEGIN_DECLS

struct proto;
struct user_namespace;
struct net_private;

struct netns_sysctl {
	/* net.core */
	int rmem_default, wmem_default, rmem_max, wmem_max;
	/* net.ipv4 */
	int ip_no_pmtu_disc;
	int tcp_rmem[3], tcp_wmem[3];	/* min, default, max */
	gid_t ping_group_range[2];	/* default {1, 0}: nobody */
	/* net.mptcp */
	int mptcp_enabled;
	/* net.unix */
	int unix_max_dgram_qlen;
};

struct net {
	int refcnt;			/* atomic; see get_net()/put_net() */
	unsigned int id;		/* 0 for init_net */
	struct user_namespace *user_ns;	/* always &init_user_ns */
	struct netns_sysctl sysctl;
	struct net_private *priv;	/* counters and tables (library-owned) */
};

SOCKCORE_API extern struct net init_net;

/* New namespace with default sysctls and one reference; NULL on ENOMEM. */
SOCKCORE_API struct net *net_create(void);
SOCKCORE_API struct net *get_net(struct net *net);
/* Drop a reference; the last one frees the namespace. Sockets that pin the
 * namespace hold references, so a namespace outlives its user sockets. */
SOCKCORE_API void put_net(struct net *net);

/*
 * sock_prot_inuse_get - sockets of @prot in use in @net (what
 * /proc/net/protocols and sockstat show). sock_inuse_get - all sockets
 * in @net. Both sum per-thread shards: exact when no creation races them.
 */
SOCKCORE_API long sock_prot_inuse_get(struct net *net, const struct proto *prot);
SOCKCORE_API long sock_inuse_get(struct net *net);
/* Add @val to @prot's in-use count in @net (protocol hash/unhash). */
SOCKCORE_API void sock_prot_inuse_add(struct net *net,
		const struct proto *prot, int val);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_NET_NAMESPACE_H */
