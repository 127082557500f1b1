/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/packet.h> - AF_PACKET sockets (net/packet/af_packet.c).
 *
 * Creating one needs CAP_NET_RAW. The "PACKET" proto has no cache of its
 * own: its 1600-byte objects come from kmalloc ("kmalloc-2k"), as in the
 * kernel. The protocol argument is the ethertype in network order; it is
 * kept in packet_sock.num, not in sk_protocol (SO_PROTOCOL reads 0, as on
 * Linux).
 */
#ifndef SOCKCORE_PACKET_H
#define SOCKCORE_PACKET_H

#include <stdint.h>
#include <sockcore/export.h>
#include <sockcore/sock.h>

SOCKCORE_BEGIN_DECLS

struct packet_sock {
	struct sock sk;
	uint16_t num;		/* ethertype, network order */
	int ifindex;		/* bound device, 0: none */
	unsigned int running:1;	/* protocol hook registered */
};

static inline struct packet_sock *pkt_sk(const struct sock *sk)
{
	return (struct packet_sock *)sk;
}

SOCKCORE_API extern struct proto packet_proto;

SOCKCORE_END_DECLS

#endif /* SOCKCORE_PACKET_H */
