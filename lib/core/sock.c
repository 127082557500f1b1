/* SPDX-License-Identifier: MIT */
/*
 * The network half of a socket (net/core/sock.c): protos and their slab
 * caches, sk_alloc() and the release path, sock_init_data(), and the
 * SOL_SOCKET options the library answers.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sockcore/sockcore.h>
#include "kernel/rcu.h"
#include "kernel/trace.h"
#include "kernel/lsm.h"
#include "core/netns.h"
#include "core/socket_internal.h"
#include "core/sock_internal.h"
#include "core/task_internal.h"
#include "kernel/fork.h"

static pthread_mutex_t proto_list_mutex = PTHREAD_MUTEX_INITIALIZER;
FORK_HOOK_MUTEX(proto_fork, FORK_RANK_PROTO, &proto_list_mutex)
static struct proto *proto_list;		/* registration order */
static unsigned long proto_inuse_idx[(PROTO_INUSE_NR + 63) / 64];

/* ---- protos --------------------------------------------------------------- */

/* A slot in the per-namespace in-use counters (the kernel's
 * assign_proto_idx): -ENOSPC when all PROTO_INUSE_NR are taken. */
static int assign_proto_idx(struct proto *prot)
{
	for (int i = 0; i < PROTO_INUSE_NR; i++) {
		if (!(proto_inuse_idx[i / 64] >> (i % 64) & 1)) {
			proto_inuse_idx[i / 64] |= 1UL << (i % 64);
			prot->inuse_idx = i;
			return 0;
		}
	}
	fprintf(stderr, "sockcore: PROTO_INUSE_NR exhausted\n");
	return -ENOSPC;
}

static void release_proto_idx(struct proto *prot)
{
	if (prot->inuse_idx >= 0)
		proto_inuse_idx[prot->inuse_idx / 64] &= ~(1UL << (prot->inuse_idx % 64));
	prot->inuse_idx = -1;
}

static bool proto_listed_locked(const struct proto *prot)
{
	for (struct proto *p = proto_list; p; p = p->next)
		if (p == prot)
			return true;
	return false;
}

int proto_register(struct proto *prot, int alloc_slab)
{
	struct proto **pp;
	int err;

	pthread_mutex_lock(&proto_list_mutex);
	err = -EEXIST;
	if (proto_listed_locked(prot))
		goto out;
	prot->slab = NULL;
	if (alloc_slab) {
		prot->slab = kmem_cache_create(prot->name, prot->obj_size, 0,
				SLAB_HWCACHE_ALIGN | prot->slab_flags, NULL);
		err = -ENOBUFS;
		if (!prot->slab) {
			fprintf(stderr, "sockcore: can't create sock SLAB "
				"cache %s!\n", prot->name);
			goto out;
		}
	}
	err = assign_proto_idx(prot);
	if (err)
		goto out_free_slab;
	prot->next = NULL;
	for (pp = &proto_list; *pp; pp = &(*pp)->next)
		;
	*pp = prot;
	pthread_mutex_unlock(&proto_list_mutex);
	return 0;

out_free_slab:
	kmem_cache_destroy(prot->slab);
	prot->slab = NULL;
out:
	pthread_mutex_unlock(&proto_list_mutex);
	return err;
}

void proto_unregister(struct proto *prot)
{
	pthread_mutex_lock(&proto_list_mutex);
	for (struct proto **pp = &proto_list; *pp; pp = &(*pp)->next) {
		if (*pp == prot) {
			*pp = prot->next;
			release_proto_idx(prot);
			break;
		}
	}
	pthread_mutex_unlock(&proto_list_mutex);
	/* socks of this proto freed through call_rcu (SOCK_RCU_FREE) must be
	 * back in the cache before it goes */
	rcu_barrier();
	kmem_cache_destroy(prot->slab);	/* reports objects still in use */
	prot->slab = NULL;
}

int proto_for_each(int (*fn)(struct proto *prot, void *arg), void *arg)
{
	int ret = 0;

	pthread_mutex_lock(&proto_list_mutex);
	for (struct proto *p = proto_list; p && !ret; p = p->next)
		ret = fn(p, arg);
	pthread_mutex_unlock(&proto_list_mutex);
	return ret;
}

void proto_shutdown(void)
{
	pthread_mutex_lock(&proto_list_mutex);
	for (struct proto *p = proto_list; p; p = p->next)
		fprintf(stderr, "sockcore: proto %s still registered at "
			"shutdown\n", p->name);
	pthread_mutex_unlock(&proto_list_mutex);
}

/* ---- allocation ---------------------------------------------------------- */

/*
 * Zero a sock but for skc_node.next: in an RCU-typesafe cache a lockless
 * reader may be walking a hash chain through this object (freed and
 * reused), and must keep finding a valid "next" (the kernel's nulls
 * marker). pprev and everything after it are cleared.
 */
/*
 * Zeroing a socket object is the largest single cost of creating one (TCP:
 * 2304 bytes). glibc's memset switches to "rep stosb" above 2 KiB, which
 * on the AMD EPYC we measure on takes twice as long as plain 32-byte
 * stores (21 ns against 10 ns for 2304 bytes); so objects are cleared with
 * vector stores, in an AVX2 version where the CPU has it (chosen once,
 * by ifunc).
 */
typedef char zero_vec __attribute__((vector_size(32), aligned(1)));

/* The ifunc resolver of target_clones runs before ThreadSanitizer is set
 * up and crashes instrumented; TSan builds keep the generic version. */
#if defined(SOCKCORE_TSAN)
#define ZERO_CLONES
#else
#define ZERO_CLONES __attribute__((target_clones("avx2", "default")))
#endif

ZERO_CLONES
static void clear_object(char *p, size_t n)
{
	/* up to the next 32-byte boundary, so no vector store splits a
	 * cache line (the object itself is cache-line aligned) */
	for (; ((uintptr_t)p & 31) && n >= 8; p += 8, n -= 8)
		__builtin_memcpy(p, &(long){ 0 }, 8);
	for (; n >= 64; p += 64, n -= 64) {
		*(zero_vec *)p = (zero_vec){ 0 };
		*(zero_vec *)(p + 32) = (zero_vec){ 0 };
	}
	for (; n >= 8; p += 8, n -= 8)
		__builtin_memcpy(p, &(long){ 0 }, 8);
	memset(p, 0, n);
}

void sk_prot_clear_nulls(struct sock *sk, int size)
{
	size_t keep = offsetof(struct sock, sk_node.next);

	if (keep)
		memset(sk, 0, keep);
	clear_object((char *)sk + keep + sizeof(sk->sk_node.next),
		     (size_t)size - keep - sizeof(sk->sk_node.next));
}

static struct sock *sk_prot_alloc(struct proto *prot, gfp_t priority,
		int family, bool get_owner)
{
	struct kmem_cache *slab = prot->slab;
	struct sock *sk;

	if (slab) {
		trace_enter(TP_KMEM_CACHE_ALLOC);
		sk = kmem_cache_alloc(slab, priority & ~__GFP_ZERO);
		trace_exit(TP_KMEM_CACHE_ALLOC, sk ? 0 : -ENOMEM);
		if (!sk)
			return NULL;
		if (priority & __GFP_ZERO)
			sk_prot_clear_nulls(sk, (int)prot->obj_size);
	} else {
		sk = kmalloc(prot->obj_size, priority);
		if (!sk)
			return NULL;
	}
	if (lsm_sk_alloc(sk, family, priority))
		goto out_free;	/* it has called sk_free on every module */
	if (get_owner && !try_module_get(prot->owner))
		goto out_free_sec;
	return sk;

out_free_sec:
	lsm_sk_free(sk);
out_free:
	if (slab)
		kmem_cache_free(slab, sk);
	else
		kfree(sk);
	return NULL;
}

static void sk_prot_free(struct proto *prot, struct sock *sk)
{
	struct module *owner = prot->owner;

	lsm_sk_free(sk);
	if (prot->slab)
		kmem_cache_free(prot->slab, sk);
	else
		kfree(sk);
	module_put(owner);
}

/*
 * init_net lives as long as the library, so user sockets in it need not
 * pin it: skipping that reference keeps two threads creating sockets in
 * the initial namespace off one shared counter (a deliberate difference
 * from the kernel, which counts it; nothing observable depends on it).
 */
static void sk_net_get(struct net *net)
{
	if (net != &init_net)
		get_net(net);
}

static void sk_net_put(struct net *net)
{
	if (net != &init_net)
		put_net(net);
}

static void sock_lock_init(struct sock *sk)
{
	pthread_spin_init(&sk->sk_lock.slock, PTHREAD_PROCESS_PRIVATE);
	sk->sk_lock.owned = 0;
}

static struct sock *__sk_alloc(struct net *net, int family, gfp_t priority,
		struct proto *prot, int kern, bool get_owner)
{
	struct sock *sk;

	trace_enter(TP_SK_ALLOC);
	sk = sk_prot_alloc(prot, priority | __GFP_ZERO, family, get_owner);
	if (sk) {
		sk->sk_family = (unsigned short)family;
		sk->sk_prot = sk->sk_prot_creator = prot;
		sk->sk_kern_sock = kern != 0;
		sock_lock_init(sk);
		sk->sk_net_refcnt = kern ? 0 : 1;
		if (sk->sk_net_refcnt) {
			sk_net_get(net);
			sock_inuse_add(net, 1);
		}
		sk->sk_net = net;
		__atomic_store_n(&sk->sk_wmem_alloc, 1, __ATOMIC_RELAXED);
	}
	trace_exit(TP_SK_ALLOC, sk ? 0 : -ENOMEM);
	return sk;
}

struct sock *sk_alloc(struct net *net, int family, gfp_t priority,
		struct proto *prot, int kern)
{
	return __sk_alloc(net, family, priority, prot, kern, true);
}

struct sock *sk_alloc_owner_held(struct net *net, int family, gfp_t priority,
		struct proto *prot, int kern)
{
	return __sk_alloc(net, family, priority, prot, kern, false);
}

_Static_assert(sizeof(((struct sock *)0)->sk_rcu) >= sizeof(struct rcu_head),
	       "struct sock's sk_rcu cannot hold a struct rcu_head");

static struct rcu_head *sk_rcu_head(struct sock *sk)
{
	return (struct rcu_head *)(void *)sk->sk_rcu;
}

static void __sk_destruct(struct rcu_head *head)
{
	struct sock *sk = caa_container_of((void *)head, struct sock, sk_rcu);
	struct net *net;
	bool pinned;

	rcu_callback_enter(head);
	net = sock_net(sk);
	pinned = sk->sk_net_refcnt;

	if (sk->sk_destruct)
		sk->sk_destruct(sk);
	pthread_spin_destroy(&sk->sk_lock.slock);
	sk_prot_free(sk->sk_prot_creator, sk);
	if (pinned)
		sk_net_put(net);
	rcu_callback_exit();
}

/*
 * The socket stops counting as used at once; its memory goes back to the
 * cache at once, or, for SOCK_RCU_FREE socks (found by lockless lookups,
 * e.g. in the raw table), after a grace period, as the kernel's
 * sk_destruct does.
 */
static void __sk_free(struct sock *sk)
{
	if (sk->sk_net_refcnt)
		sock_inuse_add(sock_net(sk), -1);
	if (sock_flag(sk, SOCK_RCU_FREE))
		call_rcu(sk_rcu_head(sk), __sk_destruct);
	else
		__sk_destruct(sk_rcu_head(sk));
}

void sk_free(struct sock *sk)
{
	/*
	 * sk_wmem_alloc holds one reference for the sock itself, so frees
	 * wait for packets in flight. Reading 1 means there are none, and
	 * none can come: the last sk_refcnt is gone, nothing can send on
	 * this sock any more. Then the atomic decrement can be skipped.
	 */
	if (__atomic_load_n(&sk->sk_wmem_alloc, __ATOMIC_ACQUIRE) == 1 ||
	    __atomic_sub_fetch(&sk->sk_wmem_alloc, 1, __ATOMIC_ACQ_REL) == 0)
		__sk_free(sk);
}

static void skb_queue_head_init(struct sk_buff_head *q)
{
	q->next = q->prev = q;
	q->qlen = 0;
}

void sock_init_data(struct socket *sock, struct sock *sk)
{
	struct net *net = sock_net(sk);

	trace_enter(TP_SOCK_INIT_DATA);
	skb_queue_head_init(&sk->sk_receive_queue);
	skb_queue_head_init(&sk->sk_write_queue);
	skb_queue_head_init(&sk->sk_error_queue);
	sk->sk_allocation = GFP_KERNEL;
	sk->sk_rcvbuf = net->sysctl.rmem_default;
	sk->sk_sndbuf = net->sysctl.wmem_default;
	sk->sk_state = TCP_CLOSE;
	sk->sk_use_task_frag = 1;
	sk->sk_socket = sock;
	sock_set_flag(sk, SOCK_ZAPPED);
	if (sock) {
		sk->sk_type = (uint16_t)sock->type;
		sock->sk = sk;
	}
	sk->sk_uid = current_euid();
	sk->sk_peek_off = -1;
	sk->sk_rcvlowat = 1;
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_max_pacing_rate = ~0UL;
	sk->sk_pacing_rate = ~0UL;
	sk->sk_pacing_shift = 10;
	sk->sk_incoming_cpu = -1;
	__atomic_store_n(&sk->sk_refcnt, 1, __ATOMIC_RELEASE);
	sk->sk_drops = 0;
	trace_exit(TP_SOCK_INIT_DATA, 0);
}

static void sock_orphan(struct sock *sk)
{
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
}

void sk_common_release(struct sock *sk)
{
	if (sk->sk_prot->destroy)
		sk->sk_prot->destroy(sk);
	if (sk->sk_prot->unhash)
		sk->sk_prot->unhash(sk);
	sock_orphan(sk);
	sock_put(sk);
}

/* ---- SOL_SOCKET options ------------------------------------------------------ */

int sk_getsockopt(struct sock *sk, int optname, void *optval, socklen_t *optlen)
{
	int v, len;

	if (!optlen)
		return -EFAULT;
	len = (int)*optlen;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case SO_DOMAIN:
		v = sk->sk_family;
		break;
	case SO_TYPE:
		v = sk->sk_type;
		break;
	case SO_PROTOCOL:
		v = sk->sk_protocol;
		break;
	case SO_RCVBUF:
		v = sk->sk_rcvbuf;
		break;
	case SO_SNDBUF:
		v = sk->sk_sndbuf;
		break;
	case SO_REUSEADDR:
		v = sk->sk_reuse;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len > (int)sizeof(v))
		len = sizeof(v);
	/* copy_to_user of 0 bytes cannot fault, even to NULL */
	if (len && !optval)
		return -EFAULT;
	if (len)
		memcpy(optval, &v, (size_t)len);
	*optlen = (socklen_t)len;
	return 0;
}
