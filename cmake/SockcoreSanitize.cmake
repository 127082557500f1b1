# SPDX-License-Identifier: MIT
#
# Sanitizer builds. Flags go on every target of the build (library, modules,
# tests), because a sanitizer runtime must see all instrumented code.

if(SOCKCORE_SANITIZE STREQUAL "address")
	set(_san -fsanitize=address,undefined -fno-sanitize-recover=undefined
		-fno-omit-frame-pointer)
	add_compile_options(${_san})
	add_link_options(${_san})
	add_compile_definitions(SOCKCORE_ASAN=1)
elseif(SOCKCORE_SANITIZE STREQUAL "thread")
	set(_san -fsanitize=thread -fno-omit-frame-pointer)
	add_compile_options(${_san})
	add_link_options(${_san})
	add_compile_definitions(SOCKCORE_TSAN=1)
elseif(NOT SOCKCORE_SANITIZE STREQUAL "")
	message(FATAL_ERROR "SOCKCORE_SANITIZE must be empty, 'address' or 'thread'")
endif()
