#include "cxpm/config/app_spec.hpp"

#include <doctest/doctest.h>

#include <string_view>

namespace cxpm {
namespace {

TEST_CASE("exec and socket modes have pm2's words") {
  CHECK(std::string_view(to_string(ExecMode::kFork)) == "fork");
  CHECK(std::string_view(to_string(ExecMode::kCluster)) == "cluster");
  CHECK(std::string_view(to_string(SocketMode::kShared)) == "shared");
  CHECK(std::string_view(to_string(SocketMode::kReuseport)) == "reuseport");
}

}  // namespace
}  // namespace cxpm
