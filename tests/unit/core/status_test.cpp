#include "cxpm/core/status.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

TEST_CASE("status: names round-trip in pm2's words") {
  for (auto status : {Status::kLaunching, Status::kOnline, Status::kStopping, Status::kStopped,
                      Status::kErrored, Status::kWaitingRestart}) {
    CHECK(status_from_string(to_string(status)) == status);
  }
  CHECK(to_string(Status::kWaitingRestart) == "waiting-restart");
  CHECK_FALSE(status_from_string("running").has_value());
}

TEST_CASE("status: only launching, online and stopping have a process") {
  CHECK(is_running(Status::kOnline));
  CHECK(is_running(Status::kStopping));
  CHECK_FALSE(is_running(Status::kWaitingRestart));
  CHECK_FALSE(is_running(Status::kErrored));
}
