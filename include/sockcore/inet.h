/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/inet.h> - AF_INET sockets (net/ipv4/af_inet.c).
 *
 * inet_create() finds the protocol in the protocol switch inetsw[type], an
 * RCU list of struct inet_protosw per socket type, read under
 * rcu_read_lock() and written under a mutex. PERMANENT entries (TCP, UDP)
 * can be neither overridden nor removed; new entries go after the last
 * PERMANENT entry of their type. An entry whose protocol is IPPROTO_IP is a
 * wildcard (raw sockets).
 */
#ifndef SOCKCORE_INET_H
#define SOCKCORE_INET_H

#include <stdint.h>
#include <netinet/in.h>
#include <urcu/list.h>
#include <sockcore/export.h>
#include <sockcore/sock.h>

SOCKCORE_BEGIN_DECLS

struct ipv6_pinfo;

/* struct inet_sock - an AF_INET (or AF_INET6) socket: struct sock first. */
struct inet_sock {
	struct sock sk;
	struct ipv6_pinfo *pinet6;	/* IPv6 sockets: inside the same object */
#define inet_daddr	sk.__sk_common.skc_daddr
#define inet_rcv_saddr	sk.__sk_common.skc_rcv_saddr
#define inet_dport	sk.__sk_common.skc_dport
#define inet_num	sk.__sk_common.skc_num
	uint32_t inet_saddr;
	int16_t uc_ttl;
	uint16_t cmsg_flags;
	uint16_t inet_sport;		/* network order */
	uint16_t inet_id;
	void *inet_opt;
	int rx_dst_ifindex;
	uint8_t tos;
	uint8_t min_ttl;
	uint8_t mc_ttl;
	uint8_t pmtudisc;
	uint8_t recverr:1, is_icsk:1, freebind:1, hdrincl:1,
		mc_loop:1, transparent:1, mc_all:1, nodefrag:1;
	uint8_t rcv_tos;
	int uc_index;
	int mc_index;
	uint32_t mc_addr;
	void *mc_list;
};

static inline struct inet_sock *inet_sk(const struct sock *sk)
{
	return (struct inet_sock *)sk;
}

/* struct inet_connection_sock - connection-oriented inet sockets. */
struct inet_connection_sock {
	struct inet_sock icsk_inet;
	const void *icsk_af_ops;
	const void *icsk_ca_ops;
	uint32_t icsk_rto;
	uint32_t icsk_rto_min;
	uint32_t icsk_pmtu_cookie;
	uint8_t icsk_ca_state;
	uint8_t icsk_retransmits;
	uint8_t icsk_pending;
	uint8_t icsk_backoff;
	uint16_t icsk_ack_ato;
	uint16_t icsk_ack_pending;
	int icsk_sync_mss;
};

static inline struct inet_connection_sock *inet_csk(const struct sock *sk)
{
	return (struct inet_connection_sock *)sk;
}

/* inet_protosw flags */
#define INET_PROTOSW_REUSE	0x01	/* sockets can reuse ports */
#define INET_PROTOSW_PERMANENT	0x02	/* cannot be removed or overridden */
#define INET_PROTOSW_ICSK	0x04	/* an inet_connection_sock */

struct inet_protosw {
	struct cds_list_head list;	/* library-owned */
	unsigned short type;		/* SOCK_STREAM, ... */
	unsigned short protocol;	/* IPPROTO_*; IPPROTO_IP: wildcard */
	struct proto *prot;
	const struct proto_ops *ops;
	unsigned char flags;
};

/*
 * inet_register_protosw - add an entry to inetsw[p->type]. Returns 0,
 * -EINVAL (type out of range), or -EPERM when a PERMANENT entry already
 * answers the same type and protocol. @p must stay valid until
 * inet_unregister_protosw() has returned.
 */
SOCKCORE_API int inet_register_protosw(struct inet_protosw *p);
/*
 * inet_unregister_protosw - remove an entry, then wait for a grace period.
 * Returns 0, or -EPERM for a PERMANENT entry (left in place).
 */
SOCKCORE_API int inet_unregister_protosw(struct inet_protosw *p);
/* Walk inetsw (for the views): calls @fn for each entry in list order. */
SOCKCORE_API int inet_protosw_for_each(
	int (*fn)(const struct inet_protosw *p, void *arg), void *arg);

/* Operations shared by inet protocols (and usable by modules). */
SOCKCORE_API extern const struct proto_ops inet_stream_ops;
SOCKCORE_API extern const struct proto_ops inet_dgram_ops;
SOCKCORE_API extern const struct proto_ops inet_sockraw_ops;
SOCKCORE_API int inet_release(struct socket *sock);
SOCKCORE_API void inet_sock_destruct(struct sock *sk);

/* The built-in protos (for lookups by tests and views). */
SOCKCORE_API extern struct proto tcp_prot;
SOCKCORE_API extern struct proto udp_prot;
SOCKCORE_API extern struct proto ping_prot;
SOCKCORE_API extern struct proto raw_prot;

/*
 * raw_for_each - walk @net's raw socket table (what /proc/net/raw lists):
 * calls @fn for each hashed raw socket under the table's lock, so @fn must
 * not create or close raw sockets of @net. Stops at, and returns, the first
 * nonzero return of @fn; 0 otherwise.
 */
SOCKCORE_API int raw_for_each(struct net *net,
	int (*fn)(const struct sock *sk, void *arg), void *arg);

/* UDP-Lite checksum coverage flags (udp_sock.pcflag). */
#define UDPLITE_BIT		0x1
#define UDPLITE_SEND_CC		0x2
#define UDPLITE_RECV_CC		0x4

/* struct udp_sock - UDP and UDP-Lite sockets. */
struct udp_sock {
	struct inet_sock inet;
	unsigned long udp_flags;
	int pending;			/* any pending frames? */
	uint8_t encap_type;
	uint16_t len;			/* total length of pending frames */
	uint16_t pcslen, pcrlen;	/* UDP-Lite coverage lengths */
	uint8_t pcflag;			/* UDPLITE_* */
	int forward_deficit;
	int forward_threshold;
};

static inline struct udp_sock *udp_sk(const struct sock *sk)
{
	return (struct udp_sock *)sk;
}

/* udp_prot's init and close, shared with UDP-Lite (as in the kernel). */
SOCKCORE_API int udp_init_sock(struct sock *sk);
SOCKCORE_API void udp_lib_close(struct sock *sk, long timeout);

SOCKCORE_END_DECLS

#endif /* SOCKCORE_INET_H */
