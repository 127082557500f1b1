/* SPDX-License-Identifier: MIT */
/*
 * 04-security-module: a security module (an LSM) that logs every socket
 * creation and denies raw sockets (SOCK_RAW, and AF_PACKET) to
 * unprivileged users. Its socket_create hook runs in __sock_create()
 * before the family is even looked up, so its EACCES comes back before
 * inet_create() would have said EPERM for the missing CAP_NET_RAW.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sockcore/sockcore.h>

static int nr_logged;

static bool is_raw(int family, int type)
{
	return type == SOCK_RAW || family == AF_PACKET;
}

static int demo_socket_create(int family, int type, int protocol, int kern)
{
	struct cred cred;

	sockcore_cred_get(&cred);
	nr_logged++;
	printf("    lsm: uid %u asks for (%d, %d, %d)%s\n", cred.euid, family,
	       type, protocol, kern ? " [kernel]" : "");
	/* Kernel sockets are the library's own business: never denied. */
	if (!kern && cred.euid != 0 && is_raw(family, type)) {
		printf("    lsm: denied: raw socket for an unprivileged user\n");
		return -EACCES;
	}
	return 0;
}

static int demo_socket_post_create(struct socket *sock, int family, int type,
				   int protocol, int kern)
{
	(void)kern;
	printf("    lsm: created (%d, %d, %d), proto %s\n", family, type,
	       protocol, sock->sk ? sock->sk->sk_prot->name : "-");
	return 0;
}

static struct security_operations demo_lsm = {
	.name = "rawguard",
	.socket_create = demo_socket_create,
	.socket_post_create = demo_socket_post_create,
};

static int try(const char *what, int family, int type, int protocol, int want)
{
	int fd = sys_socket(family, type, protocol);

	printf("  %-34s -> %s%s\n", what, fd >= 0 ? "a socket" : strerror(-fd),
	       (fd >= 0 ? want == 0 : fd == want) ? "" : "  UNEXPECTED");
	if (fd >= 0)
		sys_close(fd);
	return (fd >= 0 ? want == 0 : fd == want) ? 0 : 1;
}

int main(void)
{
	struct cred user = { .uid = 1000, .euid = 1000, .gid = 1000,
			     .egid = 1000, .cap_effective = 0 };
	struct cred saved;
	int bad = 0;

	if (security_add_hooks(&demo_lsm))
		return 1;
	sockcore_cred_get(&saved);
	printf("as uid %u:\n", saved.euid);
	bad |= try("socket(AF_INET, SOCK_STREAM, 0)", AF_INET, SOCK_STREAM, 0, 0);
	if (saved.euid == 0 && capable(CAP_NET_RAW))
		bad |= try("socket(AF_INET, SOCK_RAW, ICMP)", AF_INET, SOCK_RAW,
			   IPPROTO_ICMP, 0);

	/* Act as an unprivileged user, on this thread only. */
	sockcore_cred_set(&user);
	printf("as uid %u without capabilities:\n", user.euid);
	bad |= try("socket(AF_UNIX, SOCK_STREAM, 0)", AF_UNIX, SOCK_STREAM, 0, 0);
	bad |= try("socket(AF_INET, SOCK_RAW, ICMP)", AF_INET, SOCK_RAW,
		   IPPROTO_ICMP, -EACCES);
	bad |= try("socket(AF_PACKET, SOCK_DGRAM, 0)", AF_PACKET, SOCK_DGRAM,
		   0, -EACCES);
	sockcore_cred_set(&saved);

	security_delete_hooks(&demo_lsm);
	printf("%d creations logged; hooks removed\n", nr_logged);
	sockcore_shutdown();
	return bad;
}
