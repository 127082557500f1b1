# SPDX-License-Identifier: MIT
#
# Warning set for everything we compile. Applied through an interface target
# so that consumers of the installed package never inherit it.

add_library(sockcore_warnings INTERFACE)
target_compile_options(sockcore_warnings INTERFACE
	-Wall -Wextra
	-Wshadow
	-Wstrict-prototypes
	-Wmissing-prototypes
	-Wold-style-definition
	-Wpointer-arith
	-Wformat=2
	-Wundef
	-Wcast-align
	-Wwrite-strings
	-Wnull-dereference
	-Wvla
	-Wno-unused-parameter)	# kernel-style ops tables take unused args
if(SOCKCORE_WERROR)
	target_compile_options(sockcore_warnings INTERFACE -Werror)
endif()
