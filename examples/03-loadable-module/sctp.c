/* SPDX-License-Identifier: MIT */
/*
 * An SCTP-like loadable protocol module: what the kernel's sctp.ko
 * registers for socket creation (net/sctp/protocol.c), as a shared object
 * the library loads on demand. inet_create() finds no switch entry for
 * (SOCK_STREAM or SOCK_SEQPACKET, IPPROTO_SCTP), asks request_module()
 * for "net-pf-2-proto-132-type-1" (or -type-5), and modules.alias sends
 * it here. While one of its sockets lives the module holds a reference
 * (taken by sk_alloc on sctp_prot.owner), so unloading it fails with EBUSY.
 *
 * Module code uses only what the library exports.
 */
#include <netinet/in.h>
#include <sockcore/inet.h>
#include <sockcore/module.h>
#include <sockcore/net_namespace.h>

/* The association state would follow the inet part; none is needed for
 * creation. */
struct sctp_sock {
	struct inet_sock inet;
	unsigned int assoc_id;
	int sndbuf_policy;
};

static int sctp_init_sock(struct sock *sk)
{
	/* Counted from init to close, as the library counts TCP and UDP. */
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	return 0;
}

static void sctp_close(struct sock *sk, long timeout)
{
	(void)timeout;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	sk_common_release(sk);
}

/* Never hashed at creation: there is no port until bind. */
static void sctp_unhash(struct sock *sk)
{
	(void)sk;
}

static struct proto sctp_prot = {
	.name = "SCTP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct sctp_sock),
	.init = sctp_init_sock,
	.close = sctp_close,
	.unhash = sctp_unhash,
};

/* One entry per socket type, as sctp_init registers them. The kernel's
 * SEQPACKET entry uses inet_seqpacket_ops, which differs from the stream
 * ops only past the creation path (listen, accept). */
static struct inet_protosw sctp_stream_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_SCTP,
	.prot = &sctp_prot,
	.ops = &inet_stream_ops,
};

static struct inet_protosw sctp_seqpacket_protosw = {
	.type = SOCK_SEQPACKET,
	.protocol = IPPROTO_SCTP,
	.prot = &sctp_prot,
	.ops = &inet_stream_ops,
};

static int sctp_module_init(void)
{
	int err;

	err = proto_register(&sctp_prot, 1);
	if (err)
		return err;
	err = inet_register_protosw(&sctp_stream_protosw);
	if (err)
		goto out_proto;
	err = inet_register_protosw(&sctp_seqpacket_protosw);
	if (err)
		goto out_stream;
	return 0;

out_stream:
	inet_unregister_protosw(&sctp_stream_protosw);
out_proto:
	proto_unregister(&sctp_prot);
	return err;
}

static void sctp_module_exit(void)
{
	inet_unregister_protosw(&sctp_seqpacket_protosw);
	inet_unregister_protosw(&sctp_stream_protosw);
	proto_unregister(&sctp_prot);
}

SOCKCORE_MODULE("sctp", sctp_module_init, sctp_module_exit);
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-132");
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-132-type-1");
SOCKCORE_MODULE_ALIAS("net-pf-2-proto-132-type-5");
