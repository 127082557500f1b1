/* SPDX-License-Identifier: MIT */
/*
 * 03-loadable-module: socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP) loads
 * the SCTP-like module (sctp.c) through request_module() and its alias,
 * and the module cannot be unloaded while the socket lives.
 *
 * The module is built into a folder of its own (EXAMPLE_MODULE_DIR, with
 * its own modules.alias), not the library's module folder, so that the
 * library keeps answering EPROTONOSUPPORT for SCTP everywhere else, as
 * the kernel of a machine without sctp.ko does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sockcore/sockcore.h>
#include <sockcore/proc.h>

static int expect(const char *what, int got, int want)
{
	printf("  %-46s = %d%s\n", what, got, got == want ? "" : "  UNEXPECTED");
	return got == want ? 0 : 1;
}

/* The machine's own answer, for comparison (not checked: it depends on
 * whether this kernel has SCTP). */
static void show_kernel(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (fd >= 0) {
		printf("  the real socket(2) here: a socket (SCTP present)\n");
		close(fd);
	} else {
		printf("  the real socket(2) here: %s\n", strerror(errno));
	}
}

int main(void)
{
	int fd, seq, bad = 0;
	socklen_t len = sizeof(int);
	int proto = 0;

	bad |= expect("before: sys_socket(AF_INET, SOCK_STREAM, 132)",
		      sys_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP),
		      -EPROTONOSUPPORT);
	show_kernel();

	if (sockcore_module_add_path(EXAMPLE_MODULE_DIR))
		return 1;
	printf("module folder %s added\n", EXAMPLE_MODULE_DIR);
	fd = sys_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	seq = sys_socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	printf("  sys_socket(AF_INET, SOCK_STREAM, 132) = %d\n", fd);
	printf("  sys_socket(AF_INET, SOCK_SEQPACKET, 132) = %d\n", seq);
	if (fd < 0 || seq < 0)
		return 1;
	sys_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len);
	bad |= expect("SO_PROTOCOL", proto, IPPROTO_SCTP);
	sockcore_proc_modules(stdout);

	bad |= expect("unload while its sockets live",
		      sockcore_module_unload("sctp"), -EBUSY);
	sys_close(fd);
	sys_close(seq);
	bad |= expect("unload once they are closed",
		      sockcore_module_unload("sctp"), 0);
	sockcore_proc_modules(stdout);
	sockcore_shutdown();
	return bad;
}
