/* SPDX-License-Identifier: MIT */
/*
 * fuzz_syscalls - a libFuzzer harness for the system-call surface.
 *
 * Each input is a program of up to 64 operations, run in a fresh
 * descriptor table and a fresh network namespace: sys_socket() with
 * arbitrary family, type (flags included) and protocol, sys_socketpair(),
 * sys_close(), sys_fcntl() and sys_getsockopt() with arbitrary arguments
 * on descriptors that are open, closed or never were, failslab switched on
 * (every Nth allocation fails) and off, the table's limit changed, and the
 * caller's capabilities changed.
 *
 * After every operation the harness checks the library against its own
 * model of the table:
 *   - a new descriptor is the lowest free number (at or above F_DUPFD's
 *     argument), a pair takes the two lowest;
 *   - files_count() equals the model's count, and sock_inuse_get() is at
 *     least the number of distinct live sockets;
 *   - the errno is one the kernel can give for that call, EBADF exactly
 *     when the descriptor is not open, and getsockopt() never writes past
 *     the length it returns.
 * After every input (everything closed, the namespace dropped, an RCU
 * barrier) every cache's active objects, every proto's in-use count in
 * init_net and the open-file count are back to where they were, and no
 * module holds a reference. A violation prints and aborts, so libFuzzer
 * saves the input.
 *
 * Input format: see the op_* readers below; tests/fuzz/corpus holds seeds.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sockcore/sockcore.h>
#include "../test_faults_util.h"

#define MAX_OPS		64
#define MAX_FD		128

struct model {
	int sock_id[MAX_FD];		/* 0: closed; else a socket's id */
	int next_id;
	unsigned int limit;
};

struct input {
	const uint8_t *p, *end;
};

static uint8_t in_u8(struct input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

static uint16_t in_u16(struct input *in)
{
	return (uint16_t)(in_u8(in) | in_u8(in) << 8);
}

static uint32_t in_u32(struct input *in)
{
	return (uint32_t)in_u16(in) | (uint32_t)in_u16(in) << 16;
}

__attribute__((noreturn, format(printf, 1, 2)))
static void violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_syscalls: invariant violated: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ---- argument decoders ------------------------------------------------------ */

static int pick_family(struct input *in)
{
	static const int interesting[] = {
		AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK, AF_UNSPEC,
	};
	static const int odd[] = { -1, INT_MIN, INT_MAX, 46, 47, 255, 65535, 12 };
	uint8_t v = in_u8(in);

	if (v < 96)
		return interesting[v % 6];
	if (v < 224)
		return (int)v - 98;	/* -2 .. 125 */
	return odd[v % 8];
}

static int pick_type(struct input *in)
{
	uint8_t v = in_u8(in);
	int type = v & 0x0f;

	if (v & 0x10)
		type |= SOCK_NONBLOCK;
	if (v & 0x20)
		type |= SOCK_CLOEXEC;
	if (v & 0x40)
		type |= 1 << (in_u8(in) % 31);
	if (v & 0x80 && v & 0x40)
		type |= INT_MIN;
	return type;
}

static int pick_protocol(struct input *in)
{
	static const int interesting[] = {
		0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6,
		IPPROTO_UDPLITE, IPPROTO_RAW, 256, 262, 263, 0x0300, 16, 31, 32,
		-1, PF_UNIX,
	};
	uint8_t v = in_u8(in);

	if (v < 192)
		return interesting[v % 16];
	return (int)(int16_t)in_u16(in);
}

/* A descriptor: mostly small numbers (open or not), some absurd ones. */
static int pick_fd(struct input *in)
{
	static const int odd[] = { -1, -2, INT_MIN, INT_MAX, 1 << 20, 64, 127, 128 };
	uint8_t v = in_u8(in);

	if (v < 224)
		return v % 24;
	return odd[v % 8];
}

/* ---- checks --------------------------------------------------------------------- */

static bool errno_in(int r, const int *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (-r == set[i])
			return true;
	return false;
}

static bool model_open(const struct model *m, int fd)
{
	return fd >= 0 && fd < MAX_FD && m->sock_id[fd];
}

static int lowest_free(const struct model *m, int from)
{
	for (int fd = from < 0 ? 0 : from; fd < MAX_FD; fd++)
		if (!m->sock_id[fd])
			return fd;
	return MAX_FD;
}

static int model_count(const struct model *m)
{
	int n = 0;

	for (int fd = 0; fd < MAX_FD; fd++)
		n += m->sock_id[fd] != 0;
	return n;
}

static int model_sockets(const struct model *m)
{
	int n = 0;

	for (int fd = 0; fd < MAX_FD; fd++) {
		bool first = m->sock_id[fd] != 0;

		for (int e = 0; e < fd && first; e++)
			if (m->sock_id[e] == m->sock_id[fd])
				first = false;
		n += first;
	}
	return n;
}

static void add_fd(struct model *m, int fd, int id, const char *what)
{
	if (fd < 0 || fd >= MAX_FD)
		violation("%s: descriptor %d outside the model", what, fd);
	if (m->sock_id[fd])
		violation("%s: descriptor %d handed out while open", what, fd);
	m->sock_id[fd] = id;
}

static void check_table(const struct model *m, struct net *net, const char *what)
{
	unsigned int n = files_count(current_files());
	long inuse = sock_inuse_get(net);

	if (n != (unsigned int)model_count(m))
		violation("%s: files_count %u, model %d", what, n, model_count(m));
	/* raw sockets are freed after a grace period: at least, not equal */
	if (inuse < model_sockets(m))
		violation("%s: sock_inuse %ld < %d live sockets", what, inuse,
			  model_sockets(m));
}

/* ---- operations ------------------------------------------------------------------ */

static void op_socket(struct input *in, struct model *m)
{
	static const int ok[] = {
		EINVAL, EAFNOSUPPORT, EPROTONOSUPPORT, ESOCKTNOSUPPORT, EACCES,
		EPERM, EMFILE, ENFILE, ENOMEM, ENOBUFS, ENOPROTOOPT,
	};
	int family = pick_family(in), type = pick_type(in);
	int protocol = pick_protocol(in);
	int want = lowest_free(m, 0);
	int r = sys_socket(family, type, protocol);

	if (r < 0) {
		if (!errno_in(r, ok, sizeof(ok) / sizeof(ok[0])))
			violation("socket(%d, %#x, %d) = %d", family, type,
				  protocol, r);
		if (r == -EMFILE && want < (int)m->limit)
			violation("socket: EMFILE with %d free under limit %u",
				  want, m->limit);
		return;
	}
	if (r >= (int)m->limit)
		violation("socket: descriptor %d at or above limit %u", r, m->limit);
	if (r != want)
		violation("socket(%d, %#x, %d) = %d, lowest free is %d",
			  family, type, protocol, r, want);
	add_fd(m, r, ++m->next_id, "socket");
}

static void op_socketpair(struct input *in, struct model *m)
{
	static const int ok[] = {
		EINVAL, EAFNOSUPPORT, EPROTONOSUPPORT, ESOCKTNOSUPPORT, EACCES,
		EPERM, EMFILE, ENFILE, ENOMEM, ENOBUFS, ENOPROTOOPT, EOPNOTSUPP,
	};
	int family = pick_family(in), type = pick_type(in);
	int protocol = pick_protocol(in);
	int sv[2] = { -7, -7 };
	int w0 = lowest_free(m, 0), w1 = lowest_free(m, w0 + 1);
	int r = sys_socketpair(family, type, protocol, sv);

	if (r < 0) {
		if (!errno_in(r, ok, sizeof(ok) / sizeof(ok[0])))
			violation("socketpair(%d, %#x, %d) = %d", family, type,
				  protocol, r);
		return;
	}
	if (r != 0 || sv[0] != w0 || sv[1] != w1)
		violation("socketpair(%d, %#x, %d) = %d: %d, %d; lowest %d, %d",
			  family, type, protocol, r, sv[0], sv[1], w0, w1);
	add_fd(m, sv[0], ++m->next_id, "socketpair");
	add_fd(m, sv[1], ++m->next_id, "socketpair");
}

static void op_close(struct input *in, struct model *m)
{
	int fd = pick_fd(in);
	int r = sys_close(fd);

	if (model_open(m, fd)) {
		if (r != 0)
			violation("close(%d) of an open descriptor = %d", fd, r);
		m->sock_id[fd] = 0;
	} else if (r != -EBADF) {
		violation("close(%d) of a closed descriptor = %d", fd, r);
	}
}

static void op_fcntl(struct input *in, struct model *m)
{
	static const int cmds[] = {
		F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC,
	};
	static const long args[] = {
		0, 1, FD_CLOEXEC, O_NONBLOCK, O_DIRECT, -1, 5, 64, 1000, INT_MAX,
		(1L << 32) + 3, O_APPEND | O_NONBLOCK, 0x40000000, 2, 23, 127,
	};
	static const int ok[] = { EBADF, EINVAL, EMFILE, ENOMEM };
	int fd = pick_fd(in);
	uint8_t c = in_u8(in), a = in_u8(in);
	int cmd = c < 240 ? cmds[c % 6] : (int)in_u32(in);
	long arg = a < 240 ? args[a % 16] : (long)(int32_t)in_u32(in);
	int r = sys_fcntl(fd, cmd, arg);

	if (r < 0) {
		if (!errno_in(r, ok, sizeof(ok) / sizeof(ok[0])))
			violation("fcntl(%d, %d, %ld) = %d", fd, cmd, arg, r);
		if ((r == -EBADF) == model_open(m, fd))
			violation("fcntl(%d, %d, %ld) = %d, descriptor %s", fd,
				  cmd, arg, r, model_open(m, fd) ? "open" : "closed");
		return;
	}
	if (!model_open(m, fd))
		violation("fcntl(%d, %d, %ld) = %d on a closed descriptor", fd,
			  cmd, arg, r);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		int want = lowest_free(m, (int)arg);

		if (r != want)
			violation("F_DUPFD(%d, %ld) = %d, lowest free is %d", fd,
				  arg, r, want);
		add_fd(m, r, m->sock_id[fd], "F_DUPFD");
		break;
	}
	case F_GETFD:
		if (r != 0 && r != FD_CLOEXEC)
			violation("F_GETFD(%d) = %d", fd, r);
		break;
	case F_GETFL:
		if ((r & O_ACCMODE) != O_RDWR)
			violation("F_GETFL(%d) = %#x", fd, r);
		break;
	default:
		if (r != 0)
			violation("fcntl(%d, %d, %ld) = %d", fd, cmd, arg, r);
	}
}

static void op_getsockopt(struct input *in, struct model *m)
{
	static const int levels[] = { SOL_SOCKET, SOL_IP, SOL_IPV6, SOL_SOCKET };
	static const int lens[] = { 4, 0, 1, 3, 8, 100, -1, INT_MIN };
	static const int ok[] = { EBADF, ENOPROTOOPT, EFAULT, EINVAL, EOPNOTSUPP };
	int fd = pick_fd(in);
	uint8_t l = in_u8(in), o = in_u8(in), f = in_u8(in);
	int level = l < 240 ? levels[l % 4] : (int)(int16_t)in_u16(in);
	int optname = o % 80;
	unsigned char buf[64];
	socklen_t len = (socklen_t)lens[f % 8];
	socklen_t in_len = len;
	int r;

	memset(buf, 0x5a, sizeof(buf));
	r = sys_getsockopt(fd, level, optname, f & 0x10 ? NULL : buf,
			   f & 0x20 ? NULL : &len);
	if (r < 0) {
		if (!errno_in(r, ok, sizeof(ok) / sizeof(ok[0])))
			violation("getsockopt(%d, %d, %d) = %d", fd, level,
				  optname, r);
		if ((r == -EBADF) == model_open(m, fd))
			violation("getsockopt(%d) = %d, descriptor %s", fd, r,
				  model_open(m, fd) ? "open" : "closed");
		return;
	}
	if (!model_open(m, fd))
		violation("getsockopt(%d) = %d on a closed descriptor", fd, r);
	if (f & 0x20)
		violation("getsockopt with a NULL length succeeded");
	if (len > in_len || len > sizeof(buf))
		violation("getsockopt length grew: %u -> %u", in_len, len);
	for (size_t i = len; i < sizeof(buf); i++)
		if (buf[i] != 0x5a)
			violation("getsockopt(%d, %d, %d) wrote byte %zu past "
				  "its length %u", fd, level, optname, i, len);
}

static void op_failslab(struct input *in)
{
	struct failslab_attr a = {
		.probability = 100,
		.interval = 1 + in_u8(in) % 12,
		.times = 1 + in_u8(in) % 3,
	};

	failslab_set(&a);
}

static void op_limit(struct input *in, struct model *m)
{
	m->limit = in_u8(in) % 80;
	if (files_set_limit(current_files(), m->limit))
		violation("files_set_limit(%u) failed", m->limit);
}

static void op_cred(struct input *in)
{
	struct cred c;

	sockcore_cred_get(&c);
	switch (in_u8(in) % 3) {
	case 0:
		c.cap_effective &= ~(UINT64_C(1) << CAP_NET_RAW);
		break;
	case 1:
		c.cap_effective |= UINT64_C(1) << CAP_NET_RAW;
		break;
	default:
		c.euid = c.egid = c.gid = 65534;
		c.ngroups = 0;
		break;
	}
	sockcore_cred_set(&c);
}

/* ---- one input ------------------------------------------------------------------- */

static struct sc_snap baseline, now;
static bool have_baseline;
static unsigned long nr_inputs;

static int module_ref(const struct sockcore_module_info *info, void *arg)
{
	(void)arg;
	if (info->refcnt)
		violation("module %s holds %d references after an input",
			  info->name, info->refcnt);
	return 0;
}

static bool state_differs(void)
{
	return sc_named_diff("cache", baseline.caches, baseline.nr_caches,
			     now.caches, now.nr_caches, false, false) ||
	       sc_named_diff("proto", baseline.protos_init, baseline.nr_protos,
			     now.protos_init, now.nr_protos, false, false) ||
	       baseline.nr_files != now.nr_files ||
	       baseline.sock_inuse_init != now.sock_inuse_init;
}

static void check_after_input(void)
{
	if (!have_baseline) {
		rcu_barrier();
		sc_snap_take(&baseline);
		have_baseline = true;
		return;
	}
	sc_snap_take(&now);
	if (!state_differs())
		goto modules;
	/* frees deferred past a grace period (raw sockets, old tables) */
	rcu_barrier();
	sc_snap_take(&now);
	if (sc_named_diff("cache", baseline.caches, baseline.nr_caches,
			  now.caches, now.nr_caches, false, false) ||
	    sc_named_diff("proto", baseline.protos_init, baseline.nr_protos,
			  now.protos_init, now.nr_protos, false, false) ||
	    baseline.nr_files != now.nr_files ||
	    baseline.sock_inuse_init != now.sock_inuse_init) {
		sc_named_diff("cache", baseline.caches, baseline.nr_caches,
			      now.caches, now.nr_caches, false, true);
		sc_named_diff("proto", baseline.protos_init, baseline.nr_protos,
			      now.protos_init, now.nr_protos, false, true);
		violation("state not restored after input %lu (open files %lu "
			  "-> %lu)", nr_inputs, baseline.nr_files, now.nr_files);
	}
modules:
	sockcore_module_for_each(module_ref, NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once-only state (modules loaded by alias, the module folder list) is
 * made before the baseline is taken. */
static void warm_up(void)
{
	static const int spec[][3] = {
		{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE },
		{ AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE },
		{ AF_INET, SOCK_STREAM, 262 }, { AF_INET6, SOCK_STREAM, 262 },
		{ AF_INET, SOCK_DGRAM, 200 }, { AF_NETLINK, SOCK_RAW, 5 },
		{ 12, SOCK_DGRAM, 0 },
	};

	for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		int fd = sys_socket(spec[i][0], spec[i][1], spec[i][2]);

		if (fd >= 0)
			sys_close(fd);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sockcore_init())
		abort();
	warm_up();
	rcu_barrier();
	sc_snap_take(&baseline);
	have_baseline = true;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct input in = { data, data + size };
	struct files_struct *files;
	struct net *net;
	char what[32];

	memset(&m, 0, sizeof(m));
	nr_inputs++;
	files = files_create(MAX_FD);
	net = net_create();
	if (!files || !net)
		abort();
	net->sysctl.ping_group_range[0] = 0;
	net->sysctl.ping_group_range[1] = in_u8(&in) & 1 ? 0x7fffffff : 0;
	sockcore_switch_files(files);
	sockcore_switch_net(net);
	m.limit = MAX_FD;

	for (int i = 0; i < MAX_OPS && in.p < in.end; i++) {
		uint8_t op = in_u8(&in);

		switch (op % 10) {
		case 0: case 1: case 2:
			op_socket(&in, &m);
			snprintf(what, sizeof(what), "op %d socket", i);
			break;
		case 3:
			op_socketpair(&in, &m);
			snprintf(what, sizeof(what), "op %d socketpair", i);
			break;
		case 4:
			op_close(&in, &m);
			snprintf(what, sizeof(what), "op %d close", i);
			break;
		case 5:
			op_fcntl(&in, &m);
			snprintf(what, sizeof(what), "op %d fcntl", i);
			break;
		case 6:
			op_getsockopt(&in, &m);
			snprintf(what, sizeof(what), "op %d getsockopt", i);
			break;
		case 7:
			if (op & 0x80)
				failslab_set(NULL);
			else
				op_failslab(&in);
			snprintf(what, sizeof(what), "op %d failslab", i);
			break;
		case 8:
			op_limit(&in, &m);
			snprintf(what, sizeof(what), "op %d limit", i);
			break;
		default:
			op_cred(&in);
			snprintf(what, sizeof(what), "op %d cred", i);
			break;
		}
		check_table(&m, net, what);
	}

	failslab_set(NULL);
	sockcore_switch_net(NULL);
	put_net(net);
	sockcore_switch_files(NULL);
	files_put(files);	/* closes what the input left open */
	if (sockcore_cred_refresh())
		abort();
	check_after_input();
	return 0;
}
