/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/protocol.c - the built-in IPv6 protos (TCPv6, UDPv6, PINGv6,
 * RAWv6) and their protocol-switch entries (net/ipv6/{tcp_ipv6,udp,ping,
 * raw}.c, the inetsw6 parts).
 *
 * Object sizes are those of /proc/net/protocols on Linux 6.18 x86_64; each
 * object ends with its struct ipv6_pinfo. Methods the kernel shares between
 * the two families (tcp_close, udp_lib_close, ping_init_sock, ...) are
 * taken from the IPv4 protos at registration instead of being written
 * twice; the ones here are the IPv6-specific parts and the fallbacks.
 */
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/task.h>

#include "ipv6_internal.h"

#define TCPV6_OBJ_SIZE		2432
#define UDPV6_OBJ_SIZE		1472
#define PINGV6_OBJ_SIZE		1344

/* Our socket structs must end before the ipv6_pinfo begins. */
_Static_assert(sizeof(struct inet_connection_sock) <=
	       IPV6_PINFO_OFFSET(TCPV6_OBJ_SIZE), "tcp6 object too small");
_Static_assert(sizeof(struct inet_sock) <= IPV6_PINFO_OFFSET(UDPV6_OBJ_SIZE),
	       "udp6 object too small");
_Static_assert(sizeof(struct inet_sock) <= IPV6_PINFO_OFFSET(PINGV6_OBJ_SIZE),
	       "ping6 object too small");

/* The IPv6 address-family ops of TCP (ipv6_specific): only its identity
 * matters on the creation path. */
static const struct {
	int family;
} ipv6_specific = { .family = AF_INET6 };

/* Close of a socket that never left the creation path: what the kernel's
 * raw/udp close reduce to. */
static void inet6_close_common(struct sock *sk, long timeout)
{
	sk_common_release(sk);
}

/* Unbound TCP/UDP sockets are in no table: nothing to unhash. */
static void inet6_unhash_none(struct sock *sk)
{
}

/* tcp_v6_init_sock(): the family-independent tcp_init_sock() of IPv4,
 * then the IPv6 af_ops. */
static int tcp_v6_init_sock(struct sock *sk)
{
	int err = 0;

	if (tcp_prot.init)
		err = tcp_prot.init(sk);
	if (!err)
		inet_csk(sk)->icsk_af_ops = &ipv6_specific;
	return err;
}

/* pingv6 shares ping_init_sock() with IPv4: the ping_group_range check
 * (EACCES) is the IPv4 sysctl for both families, as in the kernel. When
 * the IPv4 proto has no init, do the check here. */
static int ping_v6_init_sock(struct sock *sk)
{
	const gid_t *range = sock_net(sk)->sysctl.ping_group_range;
	gid_t low, high;

	if (ping_prot.init)
		return ping_prot.init(sk);
	low = __atomic_load_n(&range[0], __ATOMIC_RELAXED);
	high = __atomic_load_n(&range[1], __ATOMIC_RELAXED);
	if (!in_group_range(low, high))
		return -EACCES;
	sk->sk_ipv6only = 1;
	return 0;
}

struct proto tcpv6_prot = {
	.name = "TCPv6",
	.owner = THIS_MODULE,
	.obj_size = TCPV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(TCPV6_OBJ_SIZE),
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = tcp_v6_init_sock,
	.close = inet6_close_common,
	.unhash = inet6_unhash_none,
};

struct proto udpv6_prot = {
	.name = "UDPv6",
	.owner = THIS_MODULE,
	.obj_size = UDPV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(UDPV6_OBJ_SIZE),
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.close = inet6_close_common,
	.unhash = inet6_unhash_none,
};

struct proto pingv6_prot = {
	.name = "PINGv6",
	.owner = THIS_MODULE,
	.obj_size = PINGV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(PINGV6_OBJ_SIZE),
	.init = ping_v6_init_sock,
	.close = inet6_close_common,
	.unhash = inet6_unhash_none,
};

/* rawv6_prot (hash/unhash in raw.c) is defined there. */

static struct inet_protosw inetsw6_array[] = {
	{
		.type = SOCK_STREAM,
		.protocol = IPPROTO_TCP,
		.prot = &tcpv6_prot,
		.ops = &inet6_stream_ops,
		.flags = INET_PROTOSW_PERMANENT | INET_PROTOSW_ICSK,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
		.prot = &udpv6_prot,
		.ops = &inet6_dgram_ops,
		.flags = INET_PROTOSW_PERMANENT,
	},
	{
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_ICMPV6,
		.prot = &pingv6_prot,
		.ops = &inet6_sockraw_ops,
		.flags = INET_PROTOSW_REUSE,
	},
	{
		.type = SOCK_RAW,
		.protocol = IPPROTO_IP,	/* wildcard */
		.prot = &rawv6_prot,
		.ops = &inet6_sockraw_ops,
		.flags = INET_PROTOSW_REUSE,
	},
};

#define NR_INETSW6 (sizeof(inetsw6_array) / sizeof(inetsw6_array[0]))

static struct proto *const inet6_protos[] = {
	&tcpv6_prot, &udpv6_prot, &pingv6_prot, &rawv6_prot,
};

#define NR_PROTOS6 (sizeof(inet6_protos) / sizeof(inet6_protos[0]))

/* Take the methods the kernel shares between IPv4 and IPv6 from the IPv4
 * protos (statically initialised, so valid before inet_init() too). */
static void inet6_share_ipv4_methods(void)
{
	if (tcp_prot.close)
		tcpv6_prot.close = tcp_prot.close;
	tcpv6_prot.destroy = tcp_prot.destroy;
	tcpv6_prot.backlog_rcv = tcp_prot.backlog_rcv;
	if (tcp_prot.unhash)
		tcpv6_prot.unhash = tcp_prot.unhash;
	if (udp_prot.close)
		udpv6_prot.close = udp_prot.close;
	udpv6_prot.init = udp_prot.init;
	udpv6_prot.destroy = udp_prot.destroy;
	if (udp_prot.unhash)
		udpv6_prot.unhash = udp_prot.unhash;
	if (ping_prot.close)
		pingv6_prot.close = ping_prot.close;
	if (ping_prot.unhash)
		pingv6_prot.unhash = ping_prot.unhash;
	pingv6_prot.hash = ping_prot.hash;
}

static void protos_unregister(size_t n)
{
	while (n--)
		proto_unregister(inet6_protos[n]);
}

static void protosw_remove(size_t n)
{
	while (n--)
		inet6_protosw_remove(&inetsw6_array[n]);
}

int inet6_protos_register(void)
{
	size_t np, nsw;
	int err = 0;

	inet6_share_ipv4_methods();
	for (np = 0; np < NR_PROTOS6 && !err; np++)
		err = proto_register(inet6_protos[np], 1);
	if (err) {
		protos_unregister(np - 1);
		return err;
	}
	for (nsw = 0; nsw < NR_INETSW6 && !err; nsw++)
		err = inet6_register_protosw(&inetsw6_array[nsw]);
	if (err) {
		protosw_remove(nsw - 1);
		protos_unregister(NR_PROTOS6);
	}
	return err;
}

void inet6_protos_unregister(void)
{
	protosw_remove(NR_INETSW6);
	protos_unregister(NR_PROTOS6);
}
