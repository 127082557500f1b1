/* SPDX-License-Identifier: MIT */
/*
 * /proc/net/sockstat6 (net/ipv6/proc.c sockstat6_seq_show). Fragments
 * do not exist on the creation path: they read 0.
 */
#include <sockcore/ipv6.h>
#include <sockcore/net_namespace.h>
#include <sockcore/proc.h>
#include "core/proc_internal.h"

int sockcore_proc_sockstat6(struct net *net, FILE *f)
{
	net = proc_net(net);
	fprintf(f, "TCP6: inuse %ld\n", sock_prot_inuse_get(net, &tcpv6_prot));
	fprintf(f, "UDP6: inuse %ld\n", sock_prot_inuse_get(net, &udpv6_prot));
	/* UDP-Lite is a loadable module here: found by its proto's name. */
	fprintf(f, "UDPLITE6: inuse %ld\n",
		proc_prot_inuse_by_name(net, "UDPLITEv6"));
	fprintf(f, "RAW6: inuse %ld\n", sock_prot_inuse_get(net, &rawv6_prot));
	fprintf(f, "FRAG6: inuse %u memory %lu\n", 0u, 0UL);
	return proc_done(f);
}
