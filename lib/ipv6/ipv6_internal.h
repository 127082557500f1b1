/* SPDX-License-Identifier: MIT */
/*
 * Private declarations shared by the files of lib/ipv6 (hidden).
 */
#ifndef SOCKCORE_IPV6_INTERNAL_H
#define SOCKCORE_IPV6_INTERNAL_H

#include <sockcore/ipv6.h>

/* IPV6_PMTUDISC_* values of <linux/in6.h>, fixed here. */
#define SC_IPV6_PMTUDISC_DONT	0
#define SC_IPV6_PMTUDISC_WANT	1
#define SC_IP_PMTUDISC_DONT	0
#define SC_IP_PMTUDISC_WANT	1

/* protocol.c: the built-in protos and their switch entries. */
int inet6_protos_register(void);
void inet6_protos_unregister(void);

/* raw.c: the per-namespace raw6 table. */
int raw6_init(void);
void raw6_exit(void);

/* af_inet6.c: switch management also used at shutdown. */
void inet6_protosw_remove(struct inet_protosw *p);

#endif /* SOCKCORE_IPV6_INTERNAL_H */
