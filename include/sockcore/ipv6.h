/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/ipv6.h> - AF_INET6 sockets (net/ipv6/af_inet6.c).
 *
 * inet6_create() has the shape of inet_create() (see <sockcore/inet.h>)
 * with its own protocol switch inetsw6[type], following the same rules:
 * RCU lists read under rcu_read_lock(), PERMANENT entries (TCP, UDP)
 * neither overridden nor removed, IPPROTO_IP entries are wildcards.
 *
 * Every IPv6 socket object ends with a struct ipv6_pinfo, as in the
 * kernel: prot->ipv6_pinfo_offset says where it is and inet6_create()
 * points inet_sk(sk)->pinet6 at it.
 */
#ifndef SOCKCORE_IPV6_H
#define SOCKCORE_IPV6_H

#include <stdint.h>
#include <netinet/in.h>
#include <sockcore/export.h>
#include <sockcore/sock.h>
#include <sockcore/inet.h>

SOCKCORE_BEGIN_DECLS

#define IPV6_DEFAULT_HOPLIMIT	64
#define IPV6_DEFAULT_MCASTHOPS	1

/* struct ipv6_pinfo - the IPv6 state of an AF_INET6 socket. */
struct ipv6_pinfo {
	struct in6_addr saddr;
	const struct in6_addr *daddr_cache;
	const struct in6_addr *saddr_cache;
	uint32_t flow_label;
	uint32_t frag_size;
	int16_t hop_limit;		/* -1: the route's (sysctl) default */
	int16_t mcast_hops;		/* IPV6_DEFAULT_MCASTHOPS */
	int ucast_oif;
	int mcast_oif;
	uint16_t rxopt;
	uint8_t pmtudisc;		/* IPV6_PMTUDISC_* */
	uint8_t mc_loop:1, mc_all:1, repflow:1, sndflow:1, recverr:1,
		dontfrag:1, autoflowlabel:1, autoflowlabel_set:1;
	uint8_t min_hopcount;
	uint8_t tclass;
	uint32_t rcv_flowinfo;
	uint32_t dst_cookie;
	void *ipv6_mc_list;
	void *ipv6_ac_list;
	void *ipv6_fl_list;
	void *opt;
	void *pktoptions;
	void *rxpmtu;
};

/*
 * Where struct ipv6_pinfo sits in an object of @obj_size bytes: at the very
 * end, rounded down to its alignment (the kernel's ipv6_pinfo_offset).
 * Protos set ipv6_pinfo_offset = IPV6_PINFO_OFFSET(obj_size).
 */
#define IPV6_PINFO_OFFSET(obj_size)					\
	(((obj_size) - sizeof(struct ipv6_pinfo)) &			\
	 ~(_Alignof(struct ipv6_pinfo) - 1))

/* The ipv6_pinfo of a sock of an IPv6 proto, from the proto's offset. */
static inline struct ipv6_pinfo *inet6_sk_generic(struct sock *sk)
{
	return (struct ipv6_pinfo *)((char *)sk + sk->sk_prot->ipv6_pinfo_offset);
}

/* The ipv6_pinfo recorded by inet6_create(); NULL for IPv4 sockets. */
static inline struct ipv6_pinfo *inet6_sk(const struct sock *sk)
{
	return sk->sk_family == AF_INET6 ? inet_sk(sk)->pinet6 : NULL;
}

/*
 * inet6_register_protosw - add an entry to inetsw6[p->type]. Returns 0,
 * -EINVAL (type out of range), or -EPERM when a PERMANENT entry already
 * answers the same type and protocol. @p must stay valid until
 * inet6_unregister_protosw() has returned.
 */
SOCKCORE_API int inet6_register_protosw(struct inet_protosw *p);
/*
 * inet6_unregister_protosw - remove an entry, then wait for a grace period.
 * Returns 0, or -EPERM for a PERMANENT entry (left in place).
 */
SOCKCORE_API int inet6_unregister_protosw(struct inet_protosw *p);
/* Walk inetsw6 (for the views): calls @fn for each entry in list order;
 * stops at the first nonzero return. */
SOCKCORE_API int inet6_protosw_for_each(
	int (*fn)(const struct inet_protosw *p, void *arg), void *arg);

/* Operations of IPv6 sockets (usable by modules). */
SOCKCORE_API extern const struct proto_ops inet6_stream_ops;
SOCKCORE_API extern const struct proto_ops inet6_dgram_ops;
SOCKCORE_API extern const struct proto_ops inet6_sockraw_ops;
SOCKCORE_API int inet6_release(struct socket *sock);
SOCKCORE_API void inet6_sock_destruct(struct sock *sk);

/* The built-in IPv6 protos. */
SOCKCORE_API extern struct proto tcpv6_prot;
SOCKCORE_API extern struct proto udpv6_prot;
SOCKCORE_API extern struct proto pingv6_prot;
SOCKCORE_API extern struct proto rawv6_prot;

/* Raw IPv6 sockets in @net's raw6 table, in hash order; stops at the first
 * nonzero return of @fn (called under the table's lock). */
SOCKCORE_API int raw6_for_each(struct net *net,
	int (*fn)(const struct sock *sk, void *arg), void *arg);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_IPV6_H */
