/* SPDX-License-Identifier: MIT */
/*
 * lib/ipv4/protocol.h - what the IPv4 files share inside the library:
 * the protocols' private sock layouts, constants of the kernel we mirror,
 * and the raw table's set-up. Not installed; loadable modules use only
 * <sockcore/inet.h>.
 */
#ifndef SOCKCORE_IPV4_PROTOCOL_H
#define SOCKCORE_IPV4_PROTOCOL_H

#include <stdint.h>
#include <linux/capability.h>
#include <sockcore/inet.h>
#include <sockcore/net_namespace.h>

/* The kernel's limit, not the C library's idea of it (older glibcs say
 * 256, which would refuse MPTCP and raw protocols 256..262). */
#define INET_IPPROTO_MAX	263

/*
 * Object sizes of the real kernel (Linux 6.18 x86_64, /proc/net/protocols).
 * Our structs are smaller: the bytes beyond them stand for kernel state we
 * do not model, so that slab and memory figures compare 1:1 with the
 * kernel's.
 */
#define TCP_OBJ_SIZE	2304
#define UDP_OBJ_SIZE	1344
#define PING_OBJ_SIZE	1016
#define RAW_OBJ_SIZE	1152

/*
 * TCP defaults set by tcp_init_sock(). The kernel counts time in jiffies;
 * we have no tick, so times are in milliseconds (TCP_TIMEOUT_INIT is
 * 1 * HZ, i.e. one second; TCP_RTO_MIN is HZ / 5).
 */
#define TCP_INIT_CWND		10
#define TCP_INFINITE_SSTHRESH	0x7fffffff
#define TCP_MSS_DEFAULT		536U
#define TCP_REORDERING		3
#define TCP_TIMEOUT_INIT	1000U		/* ms */
#define TCP_RTO_MIN		200U		/* ms */

struct tcp_sock {
	struct inet_connection_sock inet_conn;
	uint32_t snd_cwnd;
	uint32_t snd_cwnd_clamp;
	uint32_t snd_ssthresh;
	uint32_t mss_cache;
	uint32_t reordering;
	uint32_t srtt_us;
	uint32_t mdev_us;
	uint32_t app_limited;
	uint32_t rcv_wnd;
	uint32_t snd_wnd;
};

_Static_assert(sizeof(struct tcp_sock) <= TCP_OBJ_SIZE,
	       "struct tcp_sock outgrew the kernel's TCP object");

/* ICMP type filter of raw ICMP sockets (ICMP_FILTER). */
struct icmp_filter {
	uint32_t data;
};

struct raw_sock {
	struct inet_sock inet;
	struct icmp_filter filter;
	uint32_t ipmr_table;
};

_Static_assert(sizeof(struct raw_sock) <= RAW_OBJ_SIZE,
	       "struct raw_sock outgrew the kernel's RAW object");
_Static_assert(sizeof(struct inet_sock) <= PING_OBJ_SIZE,
	       "struct inet_sock outgrew the kernel's PING object");
_Static_assert(sizeof(struct udp_sock) <= UDP_OBJ_SIZE,
	       "struct udp_sock outgrew the kernel's UDP object");

/*
 * "sockets in use" (sockstat, /proc/net/protocols): the kernel counts TCP,
 * UDP and ping sockets when they are hashed (bind, connect, listen), which
 * never happens on the creation path. We count them from init to close
 * instead, so that a created socket shows as in use and every close brings
 * the count back; raw sockets are counted at hash time as in the kernel.
 */
static inline void inet_inuse_add(struct sock *sk, int val)
{
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, val);
}

void inet_close_counted(struct sock *sk, long timeout);
void inet_unhash_none(struct sock *sk);

/* Per-namespace raw tables (raw.c), set up by inet_init(). */
int raw_proc_init(void);
void raw_proc_exit(void);

#endif /* SOCKCORE_IPV4_PROTOCOL_H */
