/* SPDX-License-Identifier: MIT */
/*
 * <sockcore/sock.h> - the network half of a socket (net/core/sock.c).
 *
 * struct sock is allocated by sk_alloc() from its proto's slab cache
 * (created by proto_register()) and initialised by sock_init_data().
 * A protocol's object embeds struct sock first (struct inet_sock, ...),
 * and proto->obj_size is the size of that whole object.
 *
 * Reference counting: sk_refcnt starts at 1 (the socket's); sock_hold()
 * and sock_put() take and drop more; the last sock_put() frees the object
 * through sk_free(): sk_destruct(), the sk_free security hook, the proto
 * module reference, the namespace reference (user sockets only), and the
 * object back to its cache.
 */
#ifndef SOCKCORE_SOCK_H
#define SOCKCORE_SOCK_H

#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>
#include <urcu/hlist.h>
#include <sockcore/export.h>
#include <sockcore/slab.h>
#include <sockcore/net.h>

SOCKCORE_BEGIN_DECLS

struct proto;
struct net;
struct module;

/* TCP state numbers, as in the kernel (sk_state). */
enum {
	TCP_ESTABLISHED = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1,
	TCP_FIN_WAIT2, TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK,
	TCP_LISTEN, TCP_CLOSING, TCP_NEW_SYN_RECV,
};

#define SK_NO_REUSE	0
#define SK_CAN_REUSE	1
#define SK_FORCE_REUSE	2

/* sk_flags bits used by the creation path. */
enum sock_flags {
	SOCK_DEAD,
	SOCK_DONE,
	SOCK_ZAPPED,
	SOCK_RCU_FREE,	/* free only after a grace period (lockless lookups) */
};

#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

/* An empty packet queue (the path creates them; nothing queues here). */
struct sk_buff_head {
	struct sk_buff_head *next, *prev;
	unsigned int qlen;
};

typedef struct {
	pthread_spinlock_t slock;
	int owned;
} socket_lock_t;

/*
 * The part shared with timewait and request socks. skc_node comes first:
 * for SLAB_TYPESAFE_BY_RCU protos, sk_prot_alloc() zeroes the object but
 * not this node, because a lockless reader may still be walking a hash
 * chain through a freed and reused object (sk_prot_clear_nulls).
 */
struct sock_common {
	struct cds_hlist_node skc_node;
	uint32_t skc_daddr;		/* network order */
	uint32_t skc_rcv_saddr;
	uint16_t skc_dport;		/* network order */
	uint16_t skc_num;		/* host order: local port / raw protocol */
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse:4;
	unsigned char skc_reuseport:1;
	unsigned char skc_ipv6only:1;
	unsigned char skc_net_refcnt:1;
	int skc_bound_dev_if;
	struct proto *skc_prot;
	struct net *skc_net;
	int skc_refcnt;			/* atomic */
};

struct sock {
	struct sock_common __sk_common;
#define sk_node		__sk_common.skc_node
#define sk_family	__sk_common.skc_family
#define sk_state	__sk_common.skc_state
#define sk_reuse	__sk_common.skc_reuse
#define sk_reuseport	__sk_common.skc_reuseport
#define sk_ipv6only	__sk_common.skc_ipv6only
#define sk_net_refcnt	__sk_common.skc_net_refcnt
#define sk_bound_dev_if	__sk_common.skc_bound_dev_if
#define sk_prot		__sk_common.skc_prot
#define sk_net		__sk_common.skc_net
#define sk_refcnt	__sk_common.skc_refcnt
	socket_lock_t sk_lock;
	struct sk_buff_head sk_receive_queue;
	struct sk_buff_head sk_write_queue;
	struct sk_buff_head sk_error_queue;
	int sk_rcvbuf;
	int sk_sndbuf;
	int sk_wmem_alloc;		/* atomic; 1 while the sock lives */
	int sk_rmem_alloc;		/* atomic */
	int sk_drops;
	int sk_rcvlowat;
	long sk_rcvtimeo;
	long sk_sndtimeo;
	int sk_peek_off;
	int sk_incoming_cpu;
	unsigned long sk_flags;
	unsigned int sk_max_ack_backlog;
	uint16_t sk_type;
	uint16_t sk_protocol;
	uint16_t sk_gso_max_segs;
	uint8_t sk_shutdown;
	uint8_t sk_pacing_shift;
	unsigned char sk_kern_sock:1;
	unsigned char sk_use_task_frag:1;
	gfp_t sk_allocation;
	uint32_t sk_priority;
	uint32_t sk_mark;
	uid_t sk_uid;
	unsigned long sk_pacing_rate;
	unsigned long sk_max_pacing_rate;
	int sk_err;
	struct socket *sk_socket;
	struct proto *sk_prot_creator;
	void *sk_security;
	void *sk_user_data;
	void (*sk_destruct)(struct sock *sk);
	int (*sk_backlog_rcv)(struct sock *sk, void *skb);
	/* storage for the RCU callback of SOCK_RCU_FREE socks (library-owned;
	 * a liburcu struct rcu_head, kept opaque here) */
	void *sk_rcu[2];
};

/*
 * struct proto - a transport protocol (tcp_prot, udp_prot, ...).
 * proto_register() creates its slab cache (named after the proto, of
 * obj_size bytes, with slab_flags) and lists it for /proc/net/protocols.
 */
struct proto {
	const char *name;
	struct module *owner;
	unsigned int obj_size;
	unsigned int ipv6_pinfo_offset;	/* IPv6 protos: where ipv6_pinfo is */
	slab_flags_t slab_flags;
	struct kmem_cache *slab;	/* set by proto_register() */

	int (*init)(struct sock *sk);
	void (*close)(struct sock *sk, long timeout);
	void (*destroy)(struct sock *sk);
	int (*hash)(struct sock *sk);
	void (*unhash)(struct sock *sk);
	int (*backlog_rcv)(struct sock *sk, void *skb);

	/* library-owned */
	int inuse_idx;			/* slot of the per-net in-use counters */
	struct proto *next;		/* proto_list */
};

/*
 * proto_register - make @prot known: with @alloc_slab, create its cache.
 * Returns 0, -ENOBUFS (no cache, or no in-use counter slot left), -EEXIST if
 * it is registered already. proto_unregister() destroys the cache (objects
 * still allocated are reported) and waits for RCU callbacks.
 */
SOCKCORE_API int proto_register(struct proto *prot, int alloc_slab);
SOCKCORE_API void proto_unregister(struct proto *prot);
/* Walk the registered protos (for /proc/net/protocols); stops at the first
 * nonzero return of @fn. Holds proto_list_mutex: do not register from @fn. */
SOCKCORE_API int proto_for_each(int (*fn)(struct proto *prot, void *arg),
		void *arg);

/*
 * sk_alloc - allocate and minimally initialise a sock of @prot: zeroed
 * (but for the hash node of RCU-typesafe caches), security hook, module
 * reference on prot->owner, family, prot, lock, namespace (pinned unless
 * @kern), sk_wmem_alloc = 1. NULL on failure, with nothing left behind.
 */
SOCKCORE_API struct sock *sk_alloc(struct net *net, int family, gfp_t priority,
		struct proto *prot, int kern);
/* Drop the socket's own reference (the last put frees). */
SOCKCORE_API void sk_free(struct sock *sk);
/* Set the generic defaults and join @sk to @sock (either may be NULL). */
SOCKCORE_API void sock_init_data(struct socket *sock, struct sock *sk);
/* Release a sock the protocol could not finish setting up, or on close:
 * unhash, orphan, drop the reference. */
SOCKCORE_API void sk_common_release(struct sock *sk);
/* Zero @size bytes of @sk but the hash node (SLAB_TYPESAFE_BY_RCU caches). */
SOCKCORE_API void sk_prot_clear_nulls(struct sock *sk, int size);

/*
 * Take a reference to @sk; the caller must already hold one (or be under
 * the lock of a table that holds one). Inline, as in the kernel: a raw
 * socket takes and drops one on every create and close.
 */
static inline void sock_hold(struct sock *sk)
{
	__atomic_fetch_add(&sk->sk_refcnt, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one frees @sk through sk_free(), in the
 * caller's thread. Any thread may call it. */
static inline void sock_put(struct sock *sk)
{
	if (__atomic_sub_fetch(&sk->sk_refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		sk_free(sk);
}

static inline bool sock_flag(const struct sock *sk, enum sock_flags flag)
{
	return (sk->sk_flags >> flag) & 1;
}

static inline void sock_set_flag(struct sock *sk, enum sock_flags flag)
{
	sk->sk_flags |= 1UL << flag;
}

static inline struct net *sock_net(const struct sock *sk)
{
	return sk->sk_net;
}

SOCKCORE_END_DECLS

#endif /* SOCKCORE_SOCK_H */
