# Compiler launcher, linker and sanitizer settings shared by every target.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

find_program(MOLD_PROGRAM mold)
if(MOLD_PROGRAM)
  add_link_options(-fuse-ld=mold)
endif()

# Unity builds: parsing the shared headers (Asio, Boost.JSON, spdlog, gtest) is 50-70 % of an
# ordinary TU's compile time, so each target compiles its sources in batches that share one
# parse (docs/building.md). Beast TUs opt out (SKIP_UNITY_BUILD_INCLUSION): they are
# codegen-bound and merging them only serialises them.
option(VB_UNITY "Compile each target's sources in unity batches" ON)
if(VB_UNITY)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 16)
endif()

# Release without debug info keeps Beast TUs at ~1 GB and CI fast (docs/building.md).
if(CMAKE_BUILD_TYPE STREQUAL "Release")
  set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG")
  # Test code (not the libraries under test) is compiled at -O1: about 15-20 % less compile
  # time per test TU, and the libraries keep the -O2 that ships.
  set(VB_TEST_OPT_FLAGS -O1)
endif()

if(VB_SANITIZE)
  # clang-14 miscompiles coroutines with -fsanitize=function ("Cannot represent a
  # difference across sections"), so that one check is off.
  set(VB_SAN_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    list(APPEND VB_SAN_FLAGS -fno-sanitize=function)
  endif()
  add_compile_options(${VB_SAN_FLAGS})
  add_link_options(${VB_SAN_FLAGS})
endif()

# Every translation unit that sees Asio or Beast must agree on these.
add_compile_definitions(
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  SPDLOG_FMT_EXTERNAL
)

set(VB_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports Asio's awaitable frame operator new/delete pair as mismatched when a
  # coroutine is inlined (a false positive; the pair is Asio's own recycling allocator).
  list(APPEND VB_WARNINGS -Wno-mismatched-new-delete)
  # In a unity batch every .cpp is an included file, so g++ takes a class in a .cpp that
  # derives from an anonymous-namespace type for one defined in a header.
  if(VB_UNITY)
    list(APPEND VB_WARNINGS -Wno-subobject-linkage)
  endif()
endif()
if(VB_WERROR)
  list(APPEND VB_WARNINGS -Werror)
endif()
