# SPDX-License-Identifier: MIT
#
# Dependencies, found through pkg-config as imported targets. A missing one
# stops the configuration with the Debian package that provides it, because
# "pkg-config cannot find liburcu-bp" tells a new user nothing.

find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
	message(FATAL_ERROR
		"pkg-config was not found. Install it with: apt-get install pkgconf")
endif()

# sockcore_require(<prefix> <pkg-config module> <debian package>)
function(sockcore_require prefix module debpkg)
	pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${module})
	if(NOT ${prefix}_FOUND)
		message(FATAL_ERROR
			"libsockcore needs '${module}' (pkg-config), which was not found.\n"
			"Install it with: apt-get install ${debpkg}")
	endif()
	message(STATUS "Found ${module} ${${prefix}_VERSION}")
endfunction()

# The bullet-proof flavour: a library cannot make its callers register
# their threads with RCU, urcu-bp registers them on first use.
sockcore_require(URCU_BP liburcu-bp liburcu-dev)
sockcore_require(URCU_CDS liburcu-cds liburcu-dev)
sockcore_require(JEMALLOC jemalloc libjemalloc-dev)
if(SOCKCORE_BUILD_TESTS OR SOCKCORE_BUILD_BENCH)
	sockcore_require(CMOCKA cmocka libcmocka-dev)
endif()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
