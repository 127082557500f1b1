/* SPDX-License-Identifier: MIT */
/*
 * A program outside the project, built against an installed libsockcore:
 * it only includes <sockcore/sockcore.h> and links what the package gives.
 */
#include <stdio.h>
#include <string.h>
#include <sockcore/sockcore.h>

int main(void)
{
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	int proto = -1;
	socklen_t len = sizeof(proto);

	if (fd < 0) {
		fprintf(stderr, "sys_socket: %s\n", strerror(-fd));
		return 1;
	}
	if (sys_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) || proto != 6)
		return 1;
	/* the installed modules are found without any setting */
	if ((fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE)) < 0) {
		fprintf(stderr, "UDP-Lite via request_module: %s\n", strerror(-fd));
		return 1;
	}
	printf("consumer: libsockcore %s works\n", sockcore_version());
	sockcore_shutdown();
	return 0;
}
