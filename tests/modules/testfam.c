/* SPDX-License-Identifier: MIT */
/*
 * tests/modules/testfam.c - a loadable test module that owns a whole
 * protocol family (12, AF_DECnet's number, which Linux no longer uses),
 * with its own proto and slab cache ("TESTFAM"). Aliased "net-pf-12", so
 * socket(12, ...) loads it on demand. Datagram sockets only; the protocol
 * number is kept as given (SO_PROTOCOL reports it).
 */
#include <errno.h>
#include <sockcore/sockcore.h>

#define TESTFAM_FAMILY	12

struct testfam_sock {
	struct sock sk;
	unsigned long cookie;
};

static struct proto testfam_proto = {
	.name = "TESTFAM",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct testfam_sock),
};

static int testfam_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		sock->sk = NULL;
		sk_common_release(sk);
	}
	return 0;
}

static const struct proto_ops testfam_ops = {
	.family = TESTFAM_FAMILY,
	.owner = THIS_MODULE,
	.release = testfam_release,
	.socketpair = sock_no_socketpair,
};

static int testfam_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	struct sock *sk;

	if (sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol > 255)
		return -EPROTONOSUPPORT;
	sock->state = SS_UNCONNECTED;
	sk = sk_alloc(net, TESTFAM_FAMILY, GFP_KERNEL, &testfam_proto, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &testfam_ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = (uint16_t)protocol;
	((struct testfam_sock *)sk)->cookie = 0x7e57fa;
	return 0;
}

static const struct net_proto_family testfam_family = {
	.family = TESTFAM_FAMILY,
	.create = testfam_create,
	.owner = THIS_MODULE,
};

static int testfam_init(void)
{
	int err = proto_register(&testfam_proto, 1);

	if (err)
		return err;
	err = sock_register(&testfam_family);
	if (err)
		proto_unregister(&testfam_proto);
	return err;
}

static void testfam_exit(void)
{
	sock_unregister(TESTFAM_FAMILY);
	proto_unregister(&testfam_proto);
}

SOCKCORE_MODULE("testfam", testfam_init, testfam_exit);
SOCKCORE_MODULE_ALIAS("net-pf-12");
