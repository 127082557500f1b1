/* SPDX-License-Identifier: MIT */
/*
 * Does linking libsockcore change the host program's malloc?
 *
 * Debian's jemalloc is built without a symbol prefix, so libjemalloc.so.2
 * defines malloc/free. libsockcore.so needs it, but the dynamic linker
 * searches the program's own dependencies (libsockcore, then libc) before
 * the dependencies of those, so malloc still binds to glibc: the answer is
 * no for a program that links the shared library. A program linking the
 * static archive puts -ljemalloc before libc on its own link line, and then
 * jemalloc does become its malloc: this test, built both ways, records both
 * answers (docs/packaging.md).
 */
#include <dlfcn.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sockcore/sockcore.h>

#ifndef EXPECT_MALLOC_FROM
#define EXPECT_MALLOC_FROM "libc.so"
#endif

static const char *object_of(const char *sym)
{
	static Dl_info info;
	void *addr = dlsym(RTLD_DEFAULT, sym);

	assert_non_null(addr);
	assert_true(dladdr(addr, &info));
	return info.dli_fname;
}

static void test_jemalloc_is_loaded(void **state)
{
	/* the question is only meaningful if jemalloc is in the process */
	int fd = sys_socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_non_null(dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_NOLOAD));
	assert_int_equal(sys_close(fd), 0);
}

static void test_malloc_binding(void **state)
{
	assert_non_null(strstr(object_of("malloc"), EXPECT_MALLOC_FROM));
	assert_non_null(strstr(object_of("free"), EXPECT_MALLOC_FROM));
	assert_non_null(strstr(object_of("calloc"), EXPECT_MALLOC_FROM));
	assert_non_null(strstr(object_of("realloc"), EXPECT_MALLOC_FROM));
}

/* Behaviour, not just symbols: glibc's arena statistics see our malloc. */
static void test_glibc_arena_serves_malloc(void **state)
{
	struct mallinfo2 before = mallinfo2(), after;
	void *p = malloc(100000);	/* below the mmap threshold */

	assert_non_null(p);
	after = mallinfo2();
	if (strcmp(EXPECT_MALLOC_FROM, "libc.so") == 0)
		assert_true(after.uordblks >= before.uordblks + 100000);
	else
		assert_true(after.uordblks < before.uordblks + 100000);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jemalloc_is_loaded),
		cmocka_unit_test(test_malloc_binding),
		cmocka_unit_test(test_glibc_arena_serves_malloc),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	sockcore_shutdown();
	return ret;
}
