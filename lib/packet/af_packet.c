/* SPDX-License-Identifier: MIT */
/*
 * lib/packet/af_packet.c - the AF_PACKET family (net/packet/af_packet.c):
 * creation and release. (PF_INET, SOCK_PACKET) reaches packet_create()
 * already rewritten to PF_PACKET by the core.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>
#include <sockcore/packet.h>
#include <sockcore/task.h>

#include "core/builtin.h"

#define PACKET_OBJ_SIZE	1600

_Static_assert(sizeof(struct packet_sock) <= PACKET_OBJ_SIZE,
	       "struct packet_sock larger than the kernel's object");

struct proto packet_proto = {
	.name = "PACKET",
	.owner = THIS_MODULE,
	.obj_size = PACKET_OBJ_SIZE,
};

static int packet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	/* No device hook is ever registered on the creation path: only the
	 * flag is dropped. */
	pkt_sk(sk)->running = 0;
	sock_set_flag(sk, SOCK_DEAD);	/* sock_orphan() */
	sk->sk_socket = NULL;
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

/* packet_ops and packet_ops_spkt differ only past the creation path
 * (bind, sendmsg, ...): same release and no socketpair for both. */
#define PACKET_OPS(name)				\
	static const struct proto_ops name = {		\
		.family = PF_PACKET,			\
		.owner = THIS_MODULE,			\
		.release = packet_release,		\
		.socketpair = sock_no_socketpair,	\
	}

PACKET_OPS(packet_ops);
PACKET_OPS(packet_ops_spkt);

static int packet_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	/* The protocol is an ethertype already in network order; only its
	 * low 16 bits count, whatever the caller passed. */
	uint16_t proto = (uint16_t)protocol;
	struct packet_sock *po;
	struct sock *sk;

	if (!ns_capable(net->user_ns, CAP_NET_RAW))
		return -EPERM;
	if (sock->type != SOCK_DGRAM && sock->type != SOCK_RAW &&
	    sock->type != SOCK_PACKET)
		return -ESOCKTNOSUPPORT;

	sock->state = SS_UNCONNECTED;
	sk = sk_alloc(net, PF_PACKET, GFP_KERNEL, &packet_proto, kern);
	if (!sk)
		return -ENOBUFS;

	sock->ops = sock->type == SOCK_PACKET ? &packet_ops_spkt : &packet_ops;
	sock_init_data(sock, sk);
	sk->sk_family = PF_PACKET;
	po = pkt_sk(sk);
	po->num = proto;
	/* With a protocol the kernel hooks the socket into the receive path
	 * at once; here that is only the running state. */
	po->running = proto != 0;
	sock_prot_inuse_add(net, &packet_proto, 1);
	return 0;
}

static const struct net_proto_family packet_family_ops = {
	.family = PF_PACKET,
	.create = packet_create,
	.owner = THIS_MODULE,
};

int packet_init(void)
{
	int err;

	/* No cache: the kernel's packet objects are kmalloc()ed. */
	err = proto_register(&packet_proto, 0);
	if (err)
		return err;
	err = sock_register(&packet_family_ops);
	if (err)
		proto_unregister(&packet_proto);
	return err;
}

void packet_exit(void)
{
	sock_unregister(PF_PACKET);
	proto_unregister(&packet_proto);
}
