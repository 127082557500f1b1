/* SPDX-License-Identifier: MIT */
/* Module loader internals shared with the library's init and shutdown. */
#ifndef SOCKCORE_KERNEL_KMOD_H
#define SOCKCORE_KERNEL_KMOD_H

/* Unload every module (all sockets must be closed) and forget settings. */
void module_shutdown(void);

#endif /* SOCKCORE_KERNEL_KMOD_H */
