#pragma once
// What was built, filled in at build time (cmake/write_build_info.cmake): `cxpm --version`
// and the daemon's start line say it, so a report names the exact binary.

#include <string>

namespace cxpm {

extern const char* const kBuildVersion;  // the project's version, "0.1.0"
extern const char* const kBuildCommit;   // `git describe --always --dirty`, or "unknown"
extern const char* const kBuildType;     // CMAKE_BUILD_TYPE: "Release", "RelWithDebInfo", …

// "0.1.0 (commit 5c00083, Release build)".
std::string build_description();

}  // namespace cxpm
