# Run at every build (cmake -P, from CMakeLists.txt): writes the commit and build type into
# OUTPUT, touching it only when they changed, so a build after a new commit recompiles one file
# and a build with nothing new recompiles none.
#   -DSOURCE_DIR=… -DOUTPUT=…/build_info.cpp -DBUILD_TYPE=Release -DVERSION=0.1.0
execute_process(
  COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --tags
  OUTPUT_VARIABLE CXPM_BUILD_COMMIT
  RESULT_VARIABLE status
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
# A source tarball, or a checkout git refuses to read (another owner's, without safe.directory).
if(NOT status EQUAL 0 OR CXPM_BUILD_COMMIT STREQUAL "")
  set(CXPM_BUILD_COMMIT "unknown")
endif()
set(CXPM_BUILD_TYPE "${BUILD_TYPE}")
if(CXPM_BUILD_TYPE STREQUAL "")
  set(CXPM_BUILD_TYPE "no build type")
endif()
set(CXPM_BUILD_VERSION "${VERSION}")
configure_file("${SOURCE_DIR}/cmake/build_info.cpp.in" "${OUTPUT}" @ONLY)
