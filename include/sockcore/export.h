/* SPDX-License-Identifier: MIT */
/*
 * Symbol export for libsockcore.
 *
 * The library is compiled with -fvisibility=hidden; only declarations marked
 * SOCKCORE_API are exported, and lib/libsockcore.map names the same set
 * again for the linker. tests/abi checks that the two agree with the
 * installed headers, so nothing internal leaks into the dynamic symbol table.
 */
#ifndef SOCKCORE_EXPORT_H
#define SOCKCORE_EXPORT_H

#define SOCKCORE_API __attribute__((visibility("default")))

#ifdef __cplusplus
#define SOCKCORE_BEGIN_DECLS extern "C" {
#define SOCKCORE_END_DECLS }
#else
#define SOCKCORE_BEGIN_DECLS
#define SOCKCORE_END_DECLS
#endif

#endif /* SOCKCORE_EXPORT_H */
