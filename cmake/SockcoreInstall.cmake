# SPDX-License-Identifier: MIT
#
# cmake --install: headers, both libraries, sockcore.pc, the CMake package
# (sockcore::sockcore, sockcore::sockcore_static) and the module folder.

include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/sockcore
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
	FILES_MATCHING PATTERN "*.h")

install(TARGETS sockcore sockcore_static EXPORT sockcoreTargets
	LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
	ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
	RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
	INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/sockcore)
install(EXPORT sockcoreTargets NAMESPACE sockcore:: DESTINATION ${_cmakedir})
configure_package_config_file(cmake/sockcoreConfig.cmake.in
	${PROJECT_BINARY_DIR}/sockcoreConfig.cmake
	INSTALL_DESTINATION ${_cmakedir}
	PATH_VARS SOCKCORE_INSTALL_MODULEDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sockcoreConfigVersion.cmake
	COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sockcoreConfig.cmake
	${PROJECT_BINARY_DIR}/sockcoreConfigVersion.cmake
	DESTINATION ${_cmakedir})

file(RELATIVE_PATH SOCKCORE_PC_RELPREFIX
	"${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" SOCKCORE_PC_RELPREFIX "${SOCKCORE_PC_RELPREFIX}")
configure_file(cmake/sockcore.pc.in ${PROJECT_BINARY_DIR}/sockcore.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sockcore.pc
	DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The module folder exists even before any module is installed, with its
# alias index, so that request_module() has a defined place to look.
install(DIRECTORY DESTINATION ${CMAKE_INSTALL_LIBDIR}/${SOCKCORE_MODULE_SUBDIR})
