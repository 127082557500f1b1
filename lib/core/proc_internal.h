/* SPDX-License-Identifier: MIT */
/* Helpers shared by the /proc-style views (lib/core/proc.c, lib/ipv4,
 * lib/ipv6). */
#ifndef SOCKCORE_CORE_PROC_INTERNAL_H
#define SOCKCORE_CORE_PROC_INTERNAL_H

#include <stdio.h>

struct net;

/* @net, or init_net for NULL (every view takes NULL for init_net). */
struct net *proc_net(struct net *net);

/*
 * In-use count in @net of the proto registered as @name, 0 when none is.
 * By name because some protos (UDP-Lite, ...) live in loadable modules the
 * library cannot link against; the count is read under the proto list
 * lock, so a module cannot go away while it is read.
 */
long proc_prot_inuse_by_name(struct net *net, const char *name);

struct sock;

/*
 * The columns the IPv4 and IPv6 datagram tables (raw, raw6) share, from
 * "st" to "drops" and the newline (lib/ipv4/raw_seq.c).
 */
void proc_dgram_sock_tail(FILE *f, const struct sock *sk);

/* The view's result once @f is written: 0, or -EIO if a write failed. */
int proc_done(FILE *f);

#endif /* SOCKCORE_CORE_PROC_INTERNAL_H */
