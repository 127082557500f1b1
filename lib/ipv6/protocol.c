/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv6/protocol.c - the built-in IPv6 protos (TCPv6, UDPv6, PINGv6,
 * RAWv6) and their protocol-switch entries (net/ipv6/{tcp_ipv6,udp,ping,
 * raw}.c, the inetsw6 parts).
 *
 * Object sizes are those of /proc/net/protocols on Linux 6.18 x86_64; each
 * object ends with its struct ipv6_pinfo. Methods the kernel shares between
 * the two families (tcp_init_sock, udp_lib_close, ping_init_sock, ...)
 * are IPv4's own (lib/ipv4): only the IPv6-specific parts are here.
 */
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sockcore/ipv6.h>
#include <sockcore/module.h>

#include "ipv4/protocol.h"
#include "ipv6_internal.h"

#define TCPV6_OBJ_SIZE		2432
#define UDPV6_OBJ_SIZE		1472
#define PINGV6_OBJ_SIZE		1344

/* The IPv4 socket structs, then the ipv6_pinfo: ours must end before it
 * begins (the kernel's tcp6_sock, udp6_sock, ...). */
_Static_assert(sizeof(struct tcp_sock) <= IPV6_PINFO_OFFSET(TCPV6_OBJ_SIZE),
	       "tcp6 object too small");
_Static_assert(sizeof(struct udp_sock) <= IPV6_PINFO_OFFSET(UDPV6_OBJ_SIZE),
	       "udp6 object too small");
_Static_assert(sizeof(struct inet_sock) <= IPV6_PINFO_OFFSET(PINGV6_OBJ_SIZE),
	       "ping6 object too small");

/* The IPv6 address-family ops of TCP (ipv6_specific): only its identity
 * matters on the creation path. */
static const struct {
	int family;
} ipv6_specific = { .family = AF_INET6 };

/* tcp_v6_init_sock(): IPv4's TCP set-up (tcp_init_sock() in the kernel,
 * family-independent), then the IPv6 af_ops. */
static int tcp_v6_init_sock(struct sock *sk)
{
	int err;

	err = tcp_prot.init(sk);
	if (!err)
		inet_csk(sk)->icsk_af_ops = &ipv6_specific;
	return err;
}

/* pingv6 shares ping_init_sock() with IPv4, and with it the IPv4
 * ping_group_range check (EACCES); an IPv6 ping socket is v6-only. */
static int ping_v6_init_sock(struct sock *sk)
{
	int err;

	err = ping_prot.init(sk);
	if (!err)
		sk->sk_ipv6only = 1;
	return err;
}

struct proto tcpv6_prot = {
	.name = "TCPv6",
	.owner = THIS_MODULE,
	.obj_size = TCPV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(TCPV6_OBJ_SIZE),
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = tcp_v6_init_sock,
	.close = inet_close_counted,
	.unhash = inet_unhash_none,
};

struct proto udpv6_prot = {
	.name = "UDPv6",
	.owner = THIS_MODULE,
	.obj_size = UDPV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(UDPV6_OBJ_SIZE),
	.slab_flags = SLAB_TYPESAFE_BY_RCU,
	.init = udp_init_sock,
	.close = udp_lib_close,
	.unhash = inet_unhash_none,
};

struct proto pingv6_prot = {
	.name = "PINGv6",
	.owner = THIS_MODULE,
	.obj_size = PINGV6_OBJ_SIZE,
	.ipv6_pinfo_offset = IPV6_PINFO_OFFSET(PINGV6_OBJ_SIZE),
	.init = ping_v6_init_sock,
	.close = inet_close_counted,
	.unhash = inet_unhash_none,
};

/* rawv6_prot, with its own table, is in raw.c. */

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
