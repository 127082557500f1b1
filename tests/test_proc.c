/* SPDX-License-Identifier: MIT */
/*
 * test_proc - the /proc-style views (<sockcore/proc.h>) line by line
 * against the kernel's own files on this machine: identical header lines,
 * the same fields and column layout, and numbers that match the library's
 * counters after sockets are created.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>
#include <sockcore/proc.h>
#include <sockcore/ipv6.h>

#define MAX_LINES 256

/* A view's text split into lines (the buffer owns them). */
struct text {
	char *buf;
	char *line[MAX_LINES];
	int nr;
};

static void text_split(struct text *t)
{
	char *save = NULL, *l;

	t->nr = 0;
	for (l = strtok_r(t->buf, "\n", &save); l && t->nr < MAX_LINES;
	     l = strtok_r(NULL, "\n", &save))
		t->line[t->nr++] = l;
}

static void view_read(struct text *t, enum sockcore_proc_view view,
		      struct net *net)
{
	int len = sockcore_proc_snprint(view, net, NULL, 0);

	assert_true(len > 0);
	t->buf = malloc((size_t)len + 1);
	assert_non_null(t->buf);
	assert_int_equal(sockcore_proc_snprint(view, net, t->buf,
					       (size_t)len + 1), len);
	assert_int_equal(strlen(t->buf), len);
	text_split(t);
}

/* The machine's file, or false when it cannot be read here. */
static bool file_read(struct text *t, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	t->buf = calloc(1, 1 << 16);
	assert_non_null(t->buf);
	n = fread(t->buf, 1, (1 << 16) - 1, f);
	fclose(f);
	t->buf[n] = '\0';
	text_split(t);
	return t->nr > 0;
}

static void text_free(struct text *t)
{
	free(t->buf);
	t->buf = NULL;
}

static int nr_fields(const char *line)
{
	int n = 0;
	bool in = false;

	if (!line)
		return 0;
	for (; *line; line++) {
		if (*line != ' ' && *line != '\t' && !in)
			n++;
		in = *line != ' ' && *line != '\t';
	}
	return n;
}

/* The line of @t whose first field is @name, or NULL. */
static const char *find_line(const struct text *t, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < t->nr; i++)
		if (strncmp(t->line[i], name, n) == 0 &&
		    (t->line[i][n] == ' ' || t->line[i][n] == ':'))
			return t->line[i];
	return NULL;
}

/* Field @n (from 0) of @line, as a number. */
static long nth_field(const char *line, int n)
{
	char copy[256], *save = NULL, *w;

	snprintf(copy, sizeof(copy), "%s", line);
	w = strtok_r(copy, " ", &save);
	while (w && n--)
		w = strtok_r(NULL, " ", &save);
	assert_non_null(w);
	return strtol(w, NULL, 10);
}

/* The number after "@key " in @line. */
static long field_after(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s ", key);
	p = strstr(line, pat);
	assert_non_null(p);
	return strtol(p + strlen(pat), NULL, 10);
}

static bool have_cap(int cap)
{
	return capable(cap);
}

/* ---- /proc/net/protocols ------------------------------------------------ */

static void test_protocols_format(void **state)
{
	struct text t, k;
	const char *tcp, *ktcp;
	int fds[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		fds[i] = sys_socket(AF_INET, SOCK_STREAM, 0);
		assert_true(fds[i] >= 0);
	}
	view_read(&t, SOCKCORE_PROC_PROTOCOLS, NULL);
	assert_string_equal(t.line[0], "protocol  size sockets  memory press "
		"maxhdr  slab module     cl co di ac io in de sh ss gs se re "
		"bi br ha uh gp em");
	for (int i = 1; i < t.nr; i++)
		assert_int_equal(nr_fields(t.line[i]), 26);
	tcp = find_line(&t, "TCP");
	assert_non_null(tcp);
	assert_int_equal(strtol(tcp + 10, NULL, 10), 2304);
	assert_int_equal(strtol(tcp + 15, NULL, 10),
			 sock_prot_inuse_get(&init_net, &tcp_prot));
	assert_int_equal(strtol(tcp + 15, NULL, 10), 3);
	if (file_read(&k, "/proc/net/protocols")) {
		/* Same header; same column layout (short names only). */
		assert_string_equal(t.line[0], k.line[0]);
		ktcp = find_line(&k, "TCP");
		if (ktcp)
			assert_int_equal(strlen(tcp), strlen(ktcp));
		text_free(&k);
	}
	text_free(&t);
	for (int i = 0; i < 3; i++)
		assert_int_equal(sys_close(fds[i]), 0);
}

/* Newest proto first, as the kernel lists them; module owners named. */
static void test_protocols_module(void **state)
{
	struct text t;
	const char *l;
	int fd;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	view_read(&t, SOCKCORE_PROC_PROTOCOLS, NULL);
	l = find_line(&t, "UDP-Lite");
	assert_non_null(l);
	assert_non_null(strstr(l, " udplite "));
	assert_int_equal(strtol(l + 15, NULL, 10), 1);
	/* The module registered its proto last: it is listed first. */
	assert_ptr_equal(t.line[1], l);
	text_free(&t);
	assert_int_equal(sys_close(fd), 0);
}

/* ---- sockstat and sockstat6 ------------------------------------------ */

/* Each line's words with the numbers taken out: "TCP: inuse orphan ...". */
static void shape(const char *line, char *out, size_t len)
{
	char *save = NULL, *w, copy[256];
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	out[0] = '\0';
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if ((w[0] < '0' || w[0] > '9') && w[0] != '-')
			n += (size_t)snprintf(out + n, len - n, "%s ", w);
}

static void assert_same_shape(const struct text *t, const char *path)
{
	char a[256], b[256];
	struct text k;

	if (!file_read(&k, path))
		return;
	assert_int_equal(t->nr, k.nr);
	for (int i = 0; i < t->nr; i++) {
		shape(t->line[i], a, sizeof(a));
		shape(k.line[i], b, sizeof(b));
		assert_string_equal(a, b);
		assert_int_equal(nr_fields(t->line[i]), nr_fields(k.line[i]));
	}
	text_free(&k);
}

static void test_sockstat(void **state)
{
	int fds[4];
	struct text t;

	(void)state;
	fds[0] = sys_socket(AF_INET, SOCK_STREAM, 0);
	fds[1] = sys_socket(AF_INET, SOCK_STREAM, 0);
	fds[2] = sys_socket(AF_INET, SOCK_DGRAM, 0);
	fds[3] = sys_socket(AF_UNIX, SOCK_STREAM, 0);
	for (int i = 0; i < 4; i++)
		assert_true(fds[i] >= 0);
	view_read(&t, SOCKCORE_PROC_SOCKSTAT, NULL);
	assert_int_equal(t.nr, 6);
	assert_int_equal(field_after(t.line[0], "used"),
			 sock_inuse_get(&init_net));
	assert_int_equal(field_after(t.line[0], "used"), 4);
	assert_int_equal(field_after(t.line[1], "inuse"), 2);
	assert_int_equal(field_after(t.line[1], "alloc"), 2);
	assert_int_equal(field_after(t.line[2], "inuse"), 1);
	assert_int_equal(field_after(t.line[4], "inuse"),
			 sock_prot_inuse_get(&init_net, &raw_prot));
	assert_same_shape(&t, "/proc/net/sockstat");
	text_free(&t);
	for (int i = 0; i < 4; i++)
		assert_int_equal(sys_close(fds[i]), 0);

	view_read(&t, SOCKCORE_PROC_SOCKSTAT, NULL);
	assert_int_equal(field_after(t.line[0], "used"), 0);
	assert_int_equal(field_after(t.line[1], "inuse"), 0);
	text_free(&t);
}

static void test_sockstat6(void **state)
{
	int tcp, udp;
	struct text t;

	(void)state;
	tcp = sys_socket(AF_INET6, SOCK_STREAM, 0);
	udp = sys_socket(AF_INET6, SOCK_DGRAM, 0);
	assert_true(tcp >= 0 && udp >= 0);
	view_read(&t, SOCKCORE_PROC_SOCKSTAT6, NULL);
	assert_int_equal(t.nr, 5);
	assert_string_equal(t.line[0], "TCP6: inuse 1");
	assert_string_equal(t.line[1], "UDP6: inuse 1");
	assert_string_equal(t.line[4], "FRAG6: inuse 0 memory 0");
	assert_same_shape(&t, "/proc/net/sockstat6");
	text_free(&t);
	assert_int_equal(sys_close(tcp), 0);
	assert_int_equal(sys_close(udp), 0);
}

/* Another namespace counts its own sockets only. */
static void test_sockstat_netns(void **state)
{
	struct net *net = net_create();
	struct text t;
	int fd;

	(void)state;
	assert_non_null(net);
	sockcore_switch_net(net);
	fd = sys_socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	sockcore_switch_net(NULL);

	view_read(&t, SOCKCORE_PROC_SOCKSTAT, net);
	assert_int_equal(field_after(t.line[1], "inuse"), 1);
	text_free(&t);
	view_read(&t, SOCKCORE_PROC_SOCKSTAT, NULL);
	assert_int_equal(field_after(t.line[1], "inuse"), 0);
	text_free(&t);

	assert_int_equal(sys_close(fd), 0);
	put_net(net);
}

/* ---- /proc/net/raw and raw6, beside the kernel's ------------------------ */

/* Fields 2.. of a table line (the bucket differs: the kernel mixes a
 * per-namespace hash into it), up to the inode column. */
static void raw_fields(const char *line, char out[8][40])
{
	char copy[256], *save = NULL, *w;
	int i = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	w = strtok_r(copy, " ", &save);
	for (w = strtok_r(NULL, " ", &save); w && i < 8;
	     w = strtok_r(NULL, " ", &save))
		snprintf(out[i++], 40, "%s", w);
	assert_int_equal(i, 8);
}

static void check_raw_against_kernel(enum sockcore_proc_view view,
				     const char *path, int family, int proto)
{
	char ours[8][40], theirs[8][40];
	struct text t, k;
	int fd, kfd;

	fd = sys_socket(family, SOCK_RAW, proto);
	assert_true(fd >= 0);
	kfd = socket(family, SOCK_RAW, proto);
	assert_true(kfd >= 0);
	view_read(&t, view, NULL);
	assert_true(file_read(&k, path));
	assert_string_equal(t.line[0], k.line[0]);
	assert_int_equal(t.nr, 2);
	assert_int_equal(nr_fields(t.line[1]), 13);
	/* The kernel's table may hold other raw sockets: take the last. */
	assert_int_equal(nr_fields(k.line[k.nr - 1]), 13);
	raw_fields(t.line[1], ours);
	raw_fields(k.line[k.nr - 1], theirs);
	/* local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout */
	for (int i = 0; i < 8; i++)
		assert_string_equal(ours[i], theirs[i]);
	/* "ref": the socket's and the table's. */
	assert_int_equal(nth_field(t.line[1], 10), 2);
	text_free(&t);
	text_free(&k);
	close(kfd);
	assert_int_equal(sys_close(fd), 0);
	view_read(&t, view, NULL);
	assert_int_equal(t.nr, 1);
	text_free(&t);
}

static void test_raw(void **state)
{
	(void)state;
	if (!have_cap(CAP_NET_RAW))
		skip();
	check_raw_against_kernel(SOCKCORE_PROC_RAW, "/proc/net/raw",
				 AF_INET, IPPROTO_ICMP);
}

static void test_raw6(void **state)
{
	(void)state;
	if (!have_cap(CAP_NET_RAW))
		skip();
	check_raw_against_kernel(SOCKCORE_PROC_RAW6, "/proc/net/raw6",
				 AF_INET6, IPPROTO_ICMPV6);
}

/* ---- descriptors -------------------------------------------------------- */

static void fdinfo_read(int fd, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	assert_non_null(f);
	assert_int_equal(sockcore_proc_fdinfo(fd, f), 0);
	fclose(f);
}

static void test_fdinfo(void **state)
{
	char ours[256], theirs[256];
	struct text k;
	int fd, kfd;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	kfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0 && kfd >= 0);
	fdinfo_read(fd, ours, sizeof(ours));
	snprintf(theirs, sizeof(theirs), "/proc/self/fdinfo/%d", kfd);
	if (file_read(&k, theirs)) {
		/* pos, flags identical; mnt_id and ino present. */
		assert_string_equal(k.line[1], "flags:\t02004002");
		assert_non_null(strstr(ours, "pos:\t0\nflags:\t02004002\n"
				       "mnt_id:\t"));
		assert_non_null(strstr(ours, "\nino:\t"));
		text_free(&k);
	}
	close(kfd);
	assert_int_equal(sys_close(fd), 0);

	fd = sys_socket(AF_UNIX, SOCK_STREAM, 0);
	fdinfo_read(fd, ours, sizeof(ours));
	assert_non_null(strstr(ours, "flags:\t02\n"));
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sockcore_proc_fdinfo(fd, stdout), -EBADF);
}

static void test_fdtable(void **state)
{
	struct text t;
	int a, b;

	(void)state;
	a = sys_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	b = sys_socket(AF_UNIX, SOCK_DGRAM, 0);
	view_read(&t, SOCKCORE_PROC_FDTABLE, NULL);
	assert_int_equal(t.nr, 1 + (int)files_count(current_files()));
	assert_int_equal(nr_fields(t.line[1]), 6);
	assert_non_null(strstr(t.line[1], " 02000002       1      2    1        6"));
	text_free(&t);
	assert_int_equal(sys_close(a), 0);
	assert_int_equal(sys_close(b), 0);
}

/* ---- modules, security modules, families, switches ---------------------- */

static void test_modules(void **state)
{
	struct text t;
	const char *l;
	int fd;

	(void)state;
	fd = sys_socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	view_read(&t, SOCKCORE_PROC_MODULES, NULL);
	assert_string_equal(t.line[0], "Module                  Size  Used by");
	l = find_line(&t, "udplite6");
	assert_non_null(l);
	assert_int_equal(nr_fields(l), 3);
	assert_true(strtol(l + 20, NULL, 10) > 0);	/* size */
	assert_int_equal(atoi(l + 29), 1);		/* one socket */
	text_free(&t);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(sockcore_module_unload("udplite6"), 0);
}

static struct security_operations lsm_a = { .name = "alpha" };
static struct security_operations lsm_b = { .name = "beta" };

static void test_lsm(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(sockcore_proc_snprint(SOCKCORE_PROC_LSM, NULL, buf,
					       sizeof(buf)), 0);
	assert_int_equal(security_add_hooks(&lsm_a), 0);
	assert_int_equal(security_add_hooks(&lsm_b), 0);
	assert_int_equal(sockcore_proc_snprint(SOCKCORE_PROC_LSM, NULL, buf,
					       sizeof(buf)), 10);
	assert_string_equal(buf, "alpha,beta");
	assert_int_equal(security_delete_hooks(&lsm_a), 0);
	assert_int_equal(security_delete_hooks(&lsm_b), 0);
}

static void test_families_protosw(void **state)
{
	struct text t;

	(void)state;
	view_read(&t, SOCKCORE_PROC_FAMILIES, NULL);
	assert_string_equal(t.line[0], "family name");
	assert_string_equal(t.line[1], "     1 AF_UNIX");
	assert_string_equal(t.line[2], "     2 AF_INET");
	assert_non_null(find_line(&t, "    10"));
	text_free(&t);

	view_read(&t, SOCKCORE_PROC_PROTOSW, NULL);
	assert_non_null(strstr(t.line[1], "AF_INET  STREAM           6 TCP"));
	assert_non_null(strstr(t.line[1], "PERMANENT,ICSK"));
	for (int i = 1; i < t.nr; i++)
		assert_int_equal(nr_fields(t.line[i]), 6);
	text_free(&t);
}

/* ---- the generic interface ---------------------------------------------- */

static void test_snprint(void **state)
{
	char small[16], *whole;
	int len;

	(void)state;
	len = sockcore_proc_snprint(SOCKCORE_PROC_SLABINFO, NULL, NULL, 0);
	assert_true(len > 100);
	whole = malloc((size_t)len + 1);
	assert_non_null(whole);
	assert_int_equal(slabinfo_snprint(whole, (size_t)len + 1), len);
	assert_int_equal(strncmp(whole, "slabinfo - version: 2.1\n", 24), 0);
	free(whole);
	/* Truncated like snprintf: NUL-terminated, full length returned. */
	len = sockcore_proc_snprint(SOCKCORE_PROC_SOCKSTAT, NULL, small,
				    sizeof(small));
	assert_true(len > (int)sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(sockcore_proc_snprint(SOCKCORE_PROC_NR, NULL, small,
					       sizeof(small)), -EINVAL);
	assert_int_equal(sockcore_proc_show((enum sockcore_proc_view)-1,
					    NULL, stdout), -EINVAL);
}

/* Nothing may be left open at the end: the leak checker runs at exit. */
static int teardown(void **state)
{
	(void)state;
	sockcore_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocols_format),
		cmocka_unit_test(test_protocols_module),
		cmocka_unit_test(test_sockstat),
		cmocka_unit_test(test_sockstat6),
		cmocka_unit_test(test_sockstat_netns),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_raw6),
		cmocka_unit_test(test_fdinfo),
		cmocka_unit_test(test_fdtable),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_lsm),
		cmocka_unit_test(test_families_protosw),
		cmocka_unit_test(test_snprint),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
