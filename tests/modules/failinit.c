/* SPDX-License-Identifier: MIT */
/*
 * tests/modules/failinit.c - a loadable test module whose init fails
 * half-way: it registers its proto (with a slab cache, "FAILINIT") and
 * its family (13, unused by Linux since AF_NETBEUI went), then meets an
 * error (-EIO) and unwinds what it did, as a kernel module's init must.
 * Aliased "net-pf-13": socket(13, ...) tries to load it and must end with
 * the path's errno (EAFNOSUPPORT) and nothing left registered.
 */
#include <errno.h>
#include <sockcore/sockcore.h>

#define FAILINIT_FAMILY	13

static struct proto failinit_proto = {
	.name = "FAILINIT",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct sock) + 32,
};

static int failinit_create(struct net *net, struct socket *sock, int protocol,
		int kern)
{
	return -EHOSTDOWN;	/* never reached: the family never stays */
}

static const struct net_proto_family failinit_family = {
	.family = FAILINIT_FAMILY,
	.create = failinit_create,
	.owner = THIS_MODULE,
};

/* A step after the registrations that fails. */
static int failinit_late_step(void)
{
	return -EIO;
}

static int failinit_init(void)
{
	int err = proto_register(&failinit_proto, 1);

	if (err)
		return err;
	err = sock_register(&failinit_family);
	if (err)
		goto out_proto;
	err = failinit_late_step();
	if (err)
		goto out_family;
	return 0;

out_family:
	sock_unregister(FAILINIT_FAMILY);
out_proto:
	proto_unregister(&failinit_proto);
	return err;
}

static void failinit_exit(void)
{
	sock_unregister(FAILINIT_FAMILY);
	proto_unregister(&failinit_proto);
}

SOCKCORE_MODULE("failinit", failinit_init, failinit_exit);
SOCKCORE_MODULE_ALIAS("net-pf-13");
