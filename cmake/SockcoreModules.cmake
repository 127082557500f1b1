# SPDX-License-Identifier: MIT
#
# Loadable protocol modules: shared objects that request_module() finds
# through modules.alias and dlopen()s. They are linked without libsockcore:
# their undefined symbols bind to the copy of the library already in the
# process (so a module never drags in a second copy).
#
# sockcore_add_module(<name> SOURCES <file>...)
#   builds <name>.so into the module folder of the build tree (the same
#   place, relative to the library, as an installation uses) and adds it to
#   the alias index that sockcore-depmod writes there.
# sockcore_add_module(<name> NO_INSTALL SOURCES <file>...)
#   a module of a test or an example: built where its CMakeLists.txt puts it
#   (LIBRARY_OUTPUT_DIRECTORY), never installed, not in the library's index.

define_property(GLOBAL PROPERTY SOCKCORE_MODULES
	BRIEF_DOCS "loadable module targets"
	FULL_DOCS "targets built by sockcore_add_module")

function(sockcore_add_module name)
	cmake_parse_arguments(M "NO_INSTALL" "" "SOURCES" ${ARGN})
	add_library(${name} MODULE ${M_SOURCES})
	target_link_libraries(${name} PRIVATE sockcore_warnings)
	target_include_directories(${name} PRIVATE
		${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/lib)
	target_compile_definitions(${name} PRIVATE _GNU_SOURCE
		SOCKCORE_BUILDING_MODULE=1)
	target_link_libraries(${name} PRIVATE PkgConfig::URCU_BP PkgConfig::URCU_CDS)
	set_target_properties(${name} PROPERTIES
		PREFIX ""
		C_VISIBILITY_PRESET hidden
		LIBRARY_OUTPUT_DIRECTORY ${SOCKCORE_BUILD_MODULEDIR})
	if(M_NO_INSTALL)
		return()
	endif()
	set_property(GLOBAL APPEND PROPERTY SOCKCORE_MODULES ${name})
	install(TARGETS ${name} LIBRARY
		DESTINATION ${CMAKE_INSTALL_LIBDIR}/${SOCKCORE_MODULE_SUBDIR})
endfunction()
