/* SPDX-License-Identifier: MIT */
/*
 * The built-in "modules": families compiled into the library. The core
 * calls their init functions once, on first use of the library (or from
 * sockcore_init()), in this order, and their exit functions in reverse
 * from sockcore_shutdown(). Each init registers its protos, protocol
 * switch entries and family, and unwinds what it did on failure.
 */
#ifndef SOCKCORE_CORE_BUILTIN_H
#define SOCKCORE_CORE_BUILTIN_H

int inet_init(void);		/* lib/ipv4/af_inet.c */
void inet_exit(void);
int inet6_init(void);		/* lib/ipv6/af_inet6.c */
void inet6_exit(void);
int af_unix_init(void);		/* lib/unix/af_unix.c */
void af_unix_exit(void);
int packet_init(void);		/* lib/packet/af_packet.c */
void packet_exit(void);
int netlink_proto_init(void);	/* lib/netlink/af_netlink.c */
void netlink_proto_exit(void);

#endif /* SOCKCORE_CORE_BUILTIN_H */
