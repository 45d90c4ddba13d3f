# vb_library(name SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# A domain library: libs/<name>/include is its public interface, warnings are errors.
function(vb_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(vb_${name} STATIC ${ARG_SOURCES})
  add_library(vb::${name} ALIAS vb_${name})
  target_include_directories(vb_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                        PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_options(vb_${name} PRIVATE ${VB_WARNINGS})
  target_link_libraries(vb_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  # Fuzz targets need coverage feedback from the libraries under test, not only from
  # the harness itself.
  if(VB_FUZZ AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(vb_${name} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# vb_test_support(name SOURCES ... DEPS ...): helpers shared by several test executables
# (media servers, scripted voice servers, certificates, signal analysis), compiled once into
# a static library vb::test_<name> instead of once per executable (docs/building.md).
function(vb_test_support name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(vb_test_${name} STATIC ${ARG_SOURCES})
  add_library(vb::test_${name} ALIAS vb_test_${name})
  target_compile_options(vb_test_${name} PRIVATE ${VB_WARNINGS} ${VB_TEST_OPT_FLAGS})
  target_include_directories(vb_test_${name} PUBLIC ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(vb_test_${name} PUBLIC ${ARG_DEPS} GTest::gtest)
endfunction()

# vb_test(name SOURCES ... DEPS ... [LABELS ...] [PREFIX p]): one gtest executable per
# library. Every discovered test is named "<PREFIX><Suite>.<Case>"; PREFIX defaults to
# "<name>." so `ctest -R <library>` selects one library's tests. (TEST_PREFIX is an alias.)
function(vb_test name)
  cmake_parse_arguments(ARG "" "PREFIX;TEST_PREFIX" "SOURCES;DEPS;LABELS" ${ARGN})
  set(prefix "${name}.")
  if(ARG_PREFIX)
    set(prefix "${ARG_PREFIX}")
  elseif(ARG_TEST_PREFIX)
    set(prefix "${ARG_TEST_PREFIX}")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${VB_WARNINGS} ${VB_TEST_OPT_FLAGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${prefix}" PROPERTIES LABELS "${labels}"
                       ENVIRONMENT "VB_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
