# Warnings live in one interface target that every spyglass target links.
add_library(spyglass_warnings INTERFACE)
target_compile_options(spyglass_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  $<$<BOOL:${SPYGLASS_WERROR}>:-Werror>
  # GCC 12's -Wmaybe-uninitialized misfires on std::optional at -O2/-O3 (GCC bug 80635):
  # still shown, never fatal.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-error=maybe-uninitialized>
  # GCC 12's -Wrestrict misfires on `"literal" + std::string` once inlined at -O2/-O3
  # (GCC bug 105329): still shown, never fatal, in optimised builds only.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<CONFIG:Release,RelWithDebInfo,MinSizeRel>>:-Wno-error=restrict>)

# spyglass_add_test(NAME name SOURCES a_test.cpp ... [LIBS extra])
# One GoogleTest executable registered with ctest (tests discovered individually).
function(spyglass_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT SPYGLASS_BUILD_TESTS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE spyglass spyglass_test_support spyglass_warnings
                        GTest::gtest GTest::gtest_main GTest::gmock ${T_LIBS})
  include(GoogleTest)
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "SPYGLASS_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# spyglass_add_fuzzer(NAME name SOURCE x_fuzz.cpp CORPUS dir)
# With SPYGLASS_BUILD_FUZZ (clang preset `fuzz`) it links libFuzzer; otherwise it links a
# replay main so that its seed corpus runs under ctest in every build (as fmt does).
function(spyglass_add_fuzzer)
  cmake_parse_arguments(F "" "NAME;SOURCE;CORPUS" "LIBS" ${ARGN})
  add_executable(${F_NAME} ${F_SOURCE})
  target_link_libraries(${F_NAME} PRIVATE spyglass spyglass_warnings ${F_LIBS})
  if(SPYGLASS_BUILD_FUZZ)
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    target_link_libraries(${F_NAME} PRIVATE spyglass_fuzz_replay)
  endif()
  if(SPYGLASS_BUILD_TESTS AND F_CORPUS)
    add_test(NAME ${F_NAME}.corpus COMMAND ${F_NAME} ${F_CORPUS})
  endif()
endfunction()

# spyglass_add_bench(NAME name SOURCES a_bench.cpp ...)
function(spyglass_add_bench)
  cmake_parse_arguments(B "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT SPYGLASS_BUILD_BENCH)
    return()
  endif()
  add_executable(${B_NAME} ${B_SOURCES})
  target_link_libraries(${B_NAME} PRIVATE spyglass spyglass_warnings benchmark::benchmark
                        benchmark::benchmark_main ${B_LIBS})
endfunction()

# spyglass_add_artifact(FAMILY ios SLUG sms SOURCES sms.cpp [TESTS sms_test.cpp ...]
#                       [TEST_LIBS ...] [UNREGISTERED])
# One artifact module folder: its sources join the library, its tests become
# `<family>_<slug>_test`, and (unless UNREGISTERED) its factory
# `spyglass::artifacts::<family>::make_<slug>_module()` joins the generated registry.
# src/artifacts/CMakeLists.txt finds the folders, so adding a module touches its folder only.
function(spyglass_add_artifact)
  cmake_parse_arguments(A "UNREGISTERED" "FAMILY;SLUG" "SOURCES;TESTS;TEST_LIBS" ${ARGN})
  if(NOT A_FAMILY OR NOT A_SLUG OR NOT A_SOURCES)
    message(FATAL_ERROR "spyglass_add_artifact: FAMILY, SLUG and SOURCES are required")
  endif()
  list(TRANSFORM A_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  target_sources(spyglass PRIVATE ${A_SOURCES})
  if(A_TESTS)
    spyglass_add_test(NAME ${A_FAMILY}_${A_SLUG}_test SOURCES ${A_TESTS} LIBS ${A_TEST_LIBS})
  endif()
  if(NOT A_UNREGISTERED)
    set_property(GLOBAL APPEND PROPERTY SPYGLASS_ARTIFACT_MODULES "${A_FAMILY}/${A_SLUG}")
  endif()
endfunction()
