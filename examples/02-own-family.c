/* SPDX-License-Identifier: MIT */
/*
 * 02-own-family: a protocol family of one's own, registered the way a
 * kernel subsystem registers one: a struct proto (proto_register() makes
 * its slab cache), a struct proto_ops (what the socket can do) and a
 * struct net_proto_family (whose create() the socket layer calls). Then
 * sys_socket() creates sockets in it like in any built-in family.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sockcore/sockcore.h>

/* A slot no built-in family of the library uses (AF_XDP in Linux). */
#define PF_EXAMPLE	44

/* The family's socket: struct sock first, then the family's own state. */
struct example_sock {
	struct sock sk;
	unsigned int serial;
};

static struct proto example_proto = {
	.name = "EXAMPLE",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct example_sock),
};

static unsigned int example_serial;

/* Undo create(): the socket layer calls this on close. */
static int example_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sock_set_flag(sk, SOCK_DEAD);
	sk->sk_socket = NULL;
	sock->sk = NULL;
	sock_put(sk);	/* the last reference: back to the cache */
	return 0;
}

static const struct proto_ops example_ops = {
	.family = PF_EXAMPLE,
	.owner = THIS_MODULE,
	.release = example_release,
	.socketpair = sock_no_socketpair,
};

/* The checks come first and allocate nothing, as in every family. */
static int example_create(struct net *net, struct socket *sock, int protocol,
			  int kern)
{
	struct sock *sk;

	if (protocol != 0)
		return -EPROTONOSUPPORT;
	if (sock->type != SOCK_DGRAM && sock->type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	sk = sk_alloc(net, PF_EXAMPLE, GFP_KERNEL, &example_proto, kern);
	if (!sk)
		return -ENOBUFS;
	sock->state = SS_UNCONNECTED;
	sock->ops = &example_ops;
	sock_init_data(sock, sk);
	((struct example_sock *)sk)->serial = ++example_serial;
	sock_prot_inuse_add(net, &example_proto, 1);
	return 0;
}

static const struct net_proto_family example_family = {
	.family = PF_EXAMPLE,
	.create = example_create,
	.owner = THIS_MODULE,
};

static int example_register(void)
{
	int err = proto_register(&example_proto, 1);

	if (err)
		return err;
	err = sock_register(&example_family);
	if (err)
		proto_unregister(&example_proto);
	return err;
}

static void example_unregister(void)
{
	sock_unregister(PF_EXAMPLE);	/* waits for a grace period */
	proto_unregister(&example_proto);
}

static unsigned long cache_active(void)
{
	struct kmem_cache_stats st;

	kmem_cache_get_stats(example_proto.slab, &st);
	return st.active_objs;
}

static int expect(const char *what, int got, int want)
{
	printf("  %-44s = %d%s\n", what, got, got == want ? "" : "  UNEXPECTED");
	return got == want ? 0 : 1;
}

int main(void)
{
	int fds[3], bad = 0, err;
	socklen_t len = sizeof(int);
	int domain = 0;

	err = example_register();
	if (err) {
		fprintf(stderr, "register: %s\n", strerror(-err));
		return 1;
	}
	printf("family %d registered, cache \"%s\" of %u-byte objects\n",
	       PF_EXAMPLE, example_proto.name, kmem_cache_size(example_proto.slab));

	for (int i = 0; i < 3; i++) {
		fds[i] = sys_socket(PF_EXAMPLE, i ? SOCK_DGRAM : SOCK_SEQPACKET, 0);
		printf("  sys_socket(%d, %s, 0) = %d\n", PF_EXAMPLE,
		       i ? "SOCK_DGRAM" : "SOCK_SEQPACKET", fds[i]);
		bad |= fds[i] < 0;
	}
	sys_getsockopt(fds[0], SOL_SOCKET, SO_DOMAIN, &domain, &len);
	bad |= expect("SO_DOMAIN", domain, PF_EXAMPLE);
	bad |= expect("sockets in use (sock_prot_inuse_get)",
		      (int)sock_prot_inuse_get(&init_net, &example_proto), 3);
	bad |= expect("objects active in its cache", (int)cache_active(), 3);
	bad |= expect("sys_socket(PF_EXAMPLE, SOCK_STREAM, 0)",
		      sys_socket(PF_EXAMPLE, SOCK_STREAM, 0), -ESOCKTNOSUPPORT);
	bad |= expect("sys_socket(PF_EXAMPLE, SOCK_DGRAM, 1)",
		      sys_socket(PF_EXAMPLE, SOCK_DGRAM, 1), -EPROTONOSUPPORT);

	for (int i = 0; i < 3; i++)
		sys_close(fds[i]);
	bad |= expect("objects active after close", (int)cache_active(), 0);
	example_unregister();
	bad |= expect("sys_socket after sock_unregister",
		      sys_socket(PF_EXAMPLE, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	sockcore_shutdown();
	return bad;
}
