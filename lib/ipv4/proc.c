/* SPDX-License-Identifier: MIT */
/*
 * /proc/net/sockstat (net/ipv4/proc.c sockstat_seq_show).
 *
 * Orphans, TIME-WAIT sockets, fragments and memory accounting do not
 * exist on the creation path: they read 0. "alloc" is the TCP sockets
 * allocated, which here are the TCP sockets in use (counted from init to
 * close, see protocol.h).
 */
#include <sockcore/inet.h>
#include <sockcore/net_namespace.h>
#include <sockcore/proc.h>
#include "core/proc_internal.h"

int sockcore_proc_sockstat(struct net *net, FILE *f)
{
	long tcp;

	net = proc_net(net);
	tcp = sock_prot_inuse_get(net, &tcp_prot);
	fprintf(f, "sockets: used %ld\n", sock_inuse_get(net));
	fprintf(f, "TCP: inuse %ld orphan %d tw %d alloc %ld mem %ld\n",
		tcp, 0, 0, tcp, 0L);
	fprintf(f, "UDP: inuse %ld mem %ld\n",
		sock_prot_inuse_get(net, &udp_prot), 0L);
	/* UDP-Lite is a loadable module here: found by its proto's name. */
	fprintf(f, "UDPLITE: inuse %ld\n",
		proc_prot_inuse_by_name(net, "UDP-Lite"));
	fprintf(f, "RAW: inuse %ld\n", sock_prot_inuse_get(net, &raw_prot));
	fprintf(f, "FRAG: inuse %u memory %lu\n", 0u, 0UL);
	return proc_done(f);
}
