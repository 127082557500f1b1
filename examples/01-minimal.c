/* SPDX-License-Identifier: MIT */
/*
 * 01-minimal: the smallest program using libsockcore. sys_socket() is
 * socket(2) through the library's own stack: a descriptor of the
 * library's table, or a negative errno (no errno variable involved).
 *
 *	cc 01-minimal.c $(pkg-config --cflags --libs sockcore)
 */
#include <stdio.h>
#include <string.h>
#include <sockcore/sockcore.h>

int main(void)
{
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		fprintf(stderr, "sys_socket: %s\n", strerror(-fd));
		return 1;
	}
	printf("sys_socket(AF_INET, SOCK_STREAM, 0) = %d\n", fd);
	sys_close(fd);
	/* Optional: frees everything, so leak checkers stay quiet. */
	sockcore_shutdown();
	return 0;
}
