// Readiness: wait_ready keeps an instance launching until it says READY=1 (or listen_timeout
// passes, after which it is considered online, as pm2 does).
#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {

namespace {

AppSpec waiting_app() {
  AppSpec spec = test_app("api");
  spec.wait_ready = true;
  spec.listen_timeout = Milliseconds{2000};
  return spec;
}

}  // namespace

TEST_CASE("without wait_ready an instance is online as soon as it is spawned") {
  SupervisorHarness harness;
  Instance& instance = harness.add(test_app("api"));
  CHECK(instance.status == Status::kOnline);
  CHECK_FALSE(harness.clock().next_due());
}

TEST_CASE("wait_ready: READY=1 makes a launching instance online, and the timeout is dropped") {
  SupervisorHarness harness;
  Instance& instance = harness.add(waiting_app());
  CHECK(instance.status == Status::kLaunching);
  CHECK(harness.clock().next_due() == Milliseconds{2000});
  harness.clock().advance(Milliseconds{250});
  harness.notify(instance.pid, "READY", "1");
  CHECK(instance.status == Status::kOnline);
  CHECK(harness.has_event(instance, "ready (READY=1) after 250 ms"));
  CHECK_FALSE(harness.clock().next_due());
}

TEST_CASE("wait_ready: no ready signal within listen_timeout, and the instance is online anyway") {
  SupervisorHarness harness;
  Instance& instance = harness.add(waiting_app());
  harness.clock().advance(Milliseconds{1999});
  CHECK(instance.status == Status::kLaunching);
  harness.clock().advance(Milliseconds{1});
  CHECK(instance.status == Status::kOnline);
  CHECK(harness.has_event(instance, "no ready signal within listen_timeout 2000 ms"));
}

TEST_CASE("notify: strangers are ignored; READY=0 is not ready; STATUS= is kept") {
  SupervisorHarness harness;
  Instance& instance = harness.add(waiting_app());
  harness.notify(instance.pid + 50, "READY", "1");
  CHECK(instance.status == Status::kLaunching);
  harness.notify(instance.pid, "READY", "0");
  CHECK(instance.status == Status::kLaunching);
  harness.notify(instance.pid, "STATUS", "warming caches");
  CHECK(instance.status_text == "warming caches");
}

TEST_CASE("wait_ready: a crash while launching is a crash like any other") {
  SupervisorHarness harness;
  Instance& instance = harness.add(waiting_app());
  harness.exit_with_code(instance.pid, 2);
  CHECK(harness.launch_count() == 2);
  CHECK(instance.status == Status::kLaunching);
  CHECK(harness.clock().next_due() == Milliseconds{2000});  // a new listen_timeout
}

}  // namespace cxpm::testing
