#pragma once
// The files the daemon's web server serves at their paths (the dashboard): every file under
// web/ in the source tree, compiled in at build time by cmake/embed_web_assets.cmake, so the
// binary needs nothing on disk and nothing is built by a tool outside CMake.

#include <span>
#include <string_view>

namespace cxpm {

struct WebAsset {
  std::string_view path;  // "/index.html": the file's path under web/, with a leading '/'
  std::string_view content_type;
  std::string_view body;
};

// In path order; empty when web/ holds no file.
std::span<const WebAsset> web_assets();

}  // namespace cxpm
