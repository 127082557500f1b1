/* SPDX-License-Identifier: MIT */
/*
 * test_module - loadable modules: reference counting, request_module and
 * autoload, loading by name/alias/path, unload while in use, the module
 * list, search folders (SOCKCORE_MODULE_PATH, sockcore_module_add_path),
 * files that are not modules, and two test modules of our own:
 *
 *   testfam  (tests/modules/testfam.c) owns family 12, alias "net-pf-12";
 *   failinit (tests/modules/failinit.c) registers family 13 and a proto,
 *            then fails its init with -EIO and unwinds.
 *
 * They are built into TEST_MODULE_DIR with their own modules.alias; the
 * test's environment names that folder in SOCKCORE_MODULE_PATH, the only
 * way the library finds them. udplite comes from the library's own
 * module folder (SOCKCORE_BUILD_MODULEDIR).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <cmocka.h>
#include "test_util.h"

#ifndef TEST_MODULE_DIR
#error "TEST_MODULE_DIR must name the folder of the test modules"
#endif
#ifndef LIB_MODULE_DIR
#error "LIB_MODULE_DIR must name the library's module folder"
#endif

#define TESTFAM 12
#define FAILFAM 13

static int setup(void **state)
{
	(void)state;
	assert_int_equal(sockcore_init(), 0);
	sc_table_fresh(0);
	sockcore_module_autoload(true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sc_table_drop();
	sockcore_module_autoload(true);
	sockcore_module_unload("testfam");
	sockcore_module_unload("udplite");
	return 0;
}

struct mod_seen {
	const char *want;
	bool found;
	struct sockcore_module_info info;
	char path[PATH_MAX];
};

static int find_fn(const struct sockcore_module_info *info, void *arg)
{
	struct mod_seen *m = arg;

	if (strcmp(info->name, m->want))
		return 0;
	m->found = true;
	m->info = *info;
	snprintf(m->path, sizeof(m->path), "%s", info->path);
	return 1;
}

/* Whether @name is loaded; if so, its refcount and path. */
static bool module_seen(const char *name, struct mod_seen *m)
{
	memset(m, 0, sizeof(*m));
	m->want = name;
	sockcore_module_for_each(find_fn, m);
	return m->found;
}

static bool module_loaded(const char *name)
{
	struct mod_seen m;

	return module_seen(name, &m);
}

static int module_refs(const char *name)
{
	struct mod_seen m;

	assert_true(module_seen(name, &m));
	return m.info.refcnt;
}

static struct sock *fd_sk(int fd)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(fd, &err);
	assert_non_null(sock);
	sk = sock->sk;
	sockfd_put(sock);
	return sk;
}

/* ---- references ------------------------------------------------------- */

static void test_refcount_semantics(void **state)
{
	struct module *mod;
	int fd;

	(void)state;
	/* built-in code: owner NULL, references cost nothing */
	assert_true(try_module_get(NULL));
	module_put(NULL);
	__module_get(NULL);
	assert_int_equal(module_refcount(NULL), 0);

	assert_int_equal(sockcore_module_load("udplite"), 0);
	assert_int_equal(module_refs("udplite"), 0);
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	/* the sock pins the proto's owner: one reference */
	mod = fd_sk(fd)->sk_prot->owner;
	assert_non_null(mod);
	assert_string_equal(mod->name, "udplite");
	assert_int_equal(module_refcount(mod), 1);
	assert_int_equal(module_refs("udplite"), 1);
	assert_true(try_module_get(mod));
	assert_int_equal(module_refcount(mod), 2);
	__module_get(mod);
	assert_int_equal(module_refcount(mod), 3);
	module_put(mod);
	module_put(mod);
	assert_int_equal(module_refcount(mod), 1);
	assert_int_equal(mod->state, MODULE_STATE_LIVE);
	/* an extra reference of ours blocks the unload like a socket does */
	assert_true(try_module_get(mod));
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(module_refcount(mod), 1);
	assert_int_equal(sockcore_module_unload("udplite"), -EBUSY);
	assert_true(module_loaded("udplite"));
	module_put(mod);
	assert_int_equal(module_refcount(mod), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
	assert_false(module_loaded("udplite"));
}

/* ---- request_module and autoload ----------------------------------------- */

static void test_request_module(void **state)
{
	char longname[300];

	(void)state;
	assert_int_equal(request_module("net-pf-%d-proto-%d", 2, 9999), -ENOENT);
	assert_int_equal(request_module("no-such-module"), -ENOENT);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_true(request_module("%s", longname) < 0);
	/* by alias: loads, then finds it loaded */
	assert_false(module_loaded("udplite"));
	assert_int_equal(request_module("net-pf-%d-proto-%d", AF_INET,
					IPPROTO_UDPLITE), 0);
	assert_true(module_loaded("udplite"));
	assert_int_equal(request_module("net-pf-2-proto-136-type-2"), 0);
	assert_int_equal(request_module("udplite"), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
}

static void test_autoload_disabled(void **state)
{
	(void)state;
	assert_false(module_loaded("udplite"));
	sockcore_module_autoload(false);
	assert_int_equal(request_module("net-pf-2-proto-136"), -ENOSYS);
	assert_int_equal(request_module("no-such-module"), -ENOSYS);
	assert_int_equal(sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE),
			 -EPROTONOSUPPORT);
	assert_int_equal(sys_socket(TESTFAM, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_false(module_loaded("udplite"));
	assert_false(module_loaded("testfam"));
	/* an explicit load still works (it is modprobe, not autoload) */
	assert_int_equal(sockcore_module_load("udplite"), 0);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
	sockcore_module_autoload(true);
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), 0);
	assert_true(module_loaded("udplite"));
}

/* ---- load and unload ------------------------------------------------------ */

static void test_load_by_name_alias_path(void **state)
{
	struct mod_seen m;

	(void)state;
	assert_int_equal(sockcore_module_load("udplite"), 0);
	assert_true(module_seen("udplite", &m));
	assert_int_equal(m.info.refcnt, 0);
	assert_int_equal(m.info.state, MODULE_STATE_LIVE);
	assert_string_equal(m.path, LIB_MODULE_DIR "/udplite.so");
	/* again, by any route: EEXIST */
	assert_int_equal(sockcore_module_load("udplite"), -EEXIST);
	assert_int_equal(sockcore_module_load("net-pf-2-proto-136"), -EEXIST);
	assert_int_equal(sockcore_module_load(LIB_MODULE_DIR "/udplite.so"), -EEXIST);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
	assert_int_equal(sockcore_module_unload("udplite"), -ENOENT);
	assert_int_equal(sockcore_module_unload("no-such-module"), -ENOENT);

	/* by alias: listed under its own name */
	assert_int_equal(sockcore_module_load("net-pf-2-proto-136-type-2"), 0);
	assert_true(module_loaded("udplite"));
	assert_false(module_loaded("net-pf-2-proto-136-type-2"));
	assert_int_equal(sockcore_module_unload("udplite"), 0);

	/* by path */
	assert_int_equal(sockcore_module_load(LIB_MODULE_DIR "/udplite.so"), 0);
	assert_true(module_loaded("udplite"));
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);

	/* arguments */
	assert_int_equal(sockcore_module_load(NULL), -EINVAL);
	assert_int_equal(sockcore_module_load(""), -EINVAL);
	assert_int_equal(sockcore_module_unload(NULL), -EINVAL);
	assert_int_equal(sockcore_module_load("/nonexistent/dir/x.so"), -ENOENT);
}

static void test_unload_busy(void **state)
{
	int fd, fd2;

	(void)state;
	fd = sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	assert_true(fd >= 0);
	fd2 = sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDPLITE);
	assert_true(fd2 >= 0);
	assert_int_equal(module_refs("udplite"), 2);
	assert_int_equal(sockcore_module_unload("udplite"), -EBUSY);
	/* a failed unload leaves it fully working */
	assert_int_equal(sc_socket_errno(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), 0);
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(module_refs("udplite"), 1);
	assert_int_equal(sockcore_module_unload("udplite"), -EBUSY);
	/* a duplicate keeps the socket, and so the module */
	int d = sys_fcntl(fd2, F_DUPFD, 0);
	assert_int_equal(sys_close(fd2), 0);
	assert_int_equal(sockcore_module_unload("udplite"), -EBUSY);
	assert_int_equal(sys_close(d), 0);
	assert_int_equal(module_refs("udplite"), 0);
	assert_int_equal(sockcore_module_unload("udplite"), 0);
	assert_false(module_loaded("udplite"));
}

/* ---- our own modules ---------------------------------------------------------- */

static void test_failinit_unwinds(void **state)
{
	struct sc_counters before = sc_counters_now();

	(void)state;
	assert_false(sock_is_registered(FAILFAM));
	assert_int_equal(sockcore_module_load("failinit"), -EIO);
	assert_false(module_loaded("failinit"));
	assert_false(sock_is_registered(FAILFAM));
	assert_null(kmem_cache_find("FAILINIT"));
	/* through the alias, from the socket path: the path's errno */
	assert_int_equal(request_module("net-pf-%d", FAILFAM), -EIO);
	assert_int_equal(sys_socket(FAILFAM, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(FAILFAM, SOCK_STREAM, 0), -EAFNOSUPPORT);
	assert_int_equal(sys_socket(FAILFAM, 11, 0), -EINVAL);
	assert_false(module_loaded("failinit"));
	assert_false(sock_is_registered(FAILFAM));
	assert_null(kmem_cache_find("FAILINIT"));
	assert_counters_equal(sc_counters_now(), before);
	/* and again: no half-loaded state from the first attempt */
	assert_int_equal(sockcore_module_load("failinit"), -EIO);
	assert_false(module_loaded("failinit"));
}

static char testfam_name[] = "TESTFAM";

static int proto_named(struct proto *prot, void *arg)
{
	return strcmp(prot->name, arg) == 0;
}

static void test_testfam(void **state)
{
	struct kmem_cache_stats st;
	struct kmem_cache *cache;
	struct mod_seen m;
	int fd;

	(void)state;
	assert_false(sock_is_registered(TESTFAM));
	assert_false(module_loaded("testfam"));
	/* socket(12, ...) loads it through "net-pf-12" */
	fd = sys_socket(TESTFAM, SOCK_DGRAM | SOCK_CLOEXEC, 7);
	assert_true(fd >= 0);
	assert_true(module_seen("testfam", &m));
	assert_true(sock_is_registered(TESTFAM));
	assert_int_equal(sc_getsockopt_int(fd, SO_DOMAIN), TESTFAM);
	assert_int_equal(sc_getsockopt_int(fd, SO_TYPE), SOCK_DGRAM);
	assert_int_equal(sc_getsockopt_int(fd, SO_PROTOCOL), 7);
	assert_int_equal(sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
	/* found through SOCKCORE_MODULE_PATH, the only place it is */
	assert_string_equal(m.path, TEST_MODULE_DIR "/testfam.so");
	/* its proto and cache are the module's own */
	assert_int_equal(proto_for_each(proto_named, testfam_name), 1);
	cache = kmem_cache_find("TESTFAM");
	assert_non_null(cache);
	assert_int_equal(kmem_cache_get_stats(cache, &st), 0);
	assert_int_equal(st.active_objs, 1);
	assert_ptr_equal(fd_sk(fd)->sk_prot->slab, cache);
	/* references: the socket's ops and its sock's proto */
	assert_int_equal(m.info.refcnt, 2);
	/* the family's own checks */
	assert_int_equal(sys_socket(TESTFAM, SOCK_STREAM, 0), -ESOCKTNOSUPPORT);
	assert_int_equal(sys_socket(TESTFAM, SOCK_DGRAM, 256), -EPROTONOSUPPORT);
	assert_int_equal(sys_socketpair(TESTFAM, SOCK_DGRAM, 0, (int[2]){ 0 }),
			 -EOPNOTSUPP);
	assert_int_equal(module_refs("testfam"), 2);
	/* in use: EBUSY */
	assert_int_equal(sockcore_module_unload("testfam"), -EBUSY);
	assert_true(sock_is_registered(TESTFAM));
	assert_int_equal(sys_close(fd), 0);
	assert_int_equal(module_refs("testfam"), 0);
	assert_int_equal(kmem_cache_get_stats(cache, &st), 0);
	assert_int_equal(st.active_objs, 0);
	assert_int_equal(sockcore_module_unload("testfam"), 0);
	/* gone: family, proto, cache */
	assert_false(module_loaded("testfam"));
	assert_false(sock_is_registered(TESTFAM));
	assert_int_equal(proto_for_each(proto_named, testfam_name), 0);
	assert_null(kmem_cache_find("TESTFAM"));
	sockcore_module_autoload(false);
	assert_int_equal(sys_socket(TESTFAM, SOCK_DGRAM, 0), -EAFNOSUPPORT);
	sockcore_module_autoload(true);
	/* and it comes back on demand */
	assert_int_equal(sc_socket_errno(TESTFAM, SOCK_DGRAM, 0), 0);
	assert_true(module_loaded("testfam"));
	assert_int_equal(sockcore_module_unload("testfam"), 0);
}

/* ---- search folders and bad files ------------------------------------------------ */

static char tmpdir[] = "/tmp/sockcore-test-module-XXXXXX";

static void write_file(const char *dir, const char *name, const void *data,
		size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *dir, const char *name)
{
	static char buf[1 << 20];
	FILE *f = fopen(from, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	assert_true(n > 0 && n < sizeof(buf));
	fclose(f);
	write_file(dir, name, buf, n);
}

static void test_env_path(void **state)
{
	const char *env = getenv("SOCKCORE_MODULE_PATH");

	(void)state;
	/* the test's environment points at the test module folder */
	assert_non_null(env);
	assert_non_null(strstr(env, TEST_MODULE_DIR));
	/* what it finds there: by name and by alias */
	assert_int_equal(sockcore_module_load("testfam"), 0);
	assert_int_equal(sockcore_module_unload("testfam"), 0);
	assert_int_equal(request_module("net-pf-12"), 0);
	assert_true(module_loaded("testfam"));
	assert_int_equal(sockcore_module_unload("testfam"), 0);
}

static void test_add_path_and_not_a_module(void **state)
{
	char path[PATH_MAX + 16];
	struct mod_seen m;

	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	/* a renamed copy of testfam, and two files that are not modules */
	copy_file(TEST_MODULE_DIR "/testfam.so", tmpdir, "pathfam.so");
	write_file(tmpdir, "empty.so", "", 0);
	write_file(tmpdir, "text.so", "not an ELF object\n", 18);
	write_file(tmpdir, "modules.alias",
		   "alias net-pf-99-test text\n", 26);
	assert_int_equal(sockcore_module_load("pathfam"), -ENOENT);
	assert_int_equal(sockcore_module_add_path(NULL), -EINVAL);
	assert_int_equal(sockcore_module_add_path(tmpdir), 0);
	/* found by file name in the added folder; named by its descriptor */
	assert_int_equal(sockcore_module_load("pathfam"), 0);
	assert_true(module_seen("testfam", &m));
	snprintf(path, sizeof(path), "%s/pathfam.so", tmpdir);
	assert_string_equal(m.path, path);
	assert_int_equal(sockcore_module_load("pathfam"), -EEXIST);
	assert_int_equal(sockcore_module_unload("testfam"), 0);
	/* not modules: ENOEXEC, by path, by name and by alias */
	snprintf(path, sizeof(path), "%s/empty.so", tmpdir);
	assert_int_equal(sockcore_module_load(path), -ENOEXEC);
	snprintf(path, sizeof(path), "%s/text.so", tmpdir);
	assert_int_equal(sockcore_module_load(path), -ENOEXEC);
	assert_int_equal(sockcore_module_load("empty"), -ENOEXEC);
	assert_int_equal(request_module("net-pf-99-test"), -ENOEXEC);
	/* a shared object that is not a module: no __this_module */
	assert_int_equal(sockcore_module_load(LIB_DIR "/libsockcore.so"), -ENOEXEC);
	assert_false(module_loaded("empty"));
	assert_false(module_loaded("text"));

	snprintf(path, sizeof(path), "%s/pathfam.so", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/empty.so", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/text.so", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/modules.alias", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_refcount_semantics),
		T(test_request_module),
		T(test_autoload_disabled),
		T(test_load_by_name_alias_path),
		T(test_unload_busy),
		T(test_failinit_unwinds),
		T(test_testfam),
		T(test_env_path),
		T(test_add_path_and_not_a_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
