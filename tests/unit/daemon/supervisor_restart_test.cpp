// Restart decisions as the supervisor carries them out: when an exited instance is spawned
// again, after which delay, and when it is left stopped or errored.
#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {

TEST_CASE("a crash after min_uptime restarts at once when restart_delay is 0") {
  SupervisorHarness harness;
  Instance& instance = harness.add(test_app("api"));
  REQUIRE(instance.status == Status::kOnline);
  const pid_t first = instance.pid;
  harness.clock().advance(Milliseconds{5000});
  harness.exit_with_code(first, 1);
  CHECK(harness.launch_count() == 2);
  CHECK(instance.status == Status::kOnline);
  CHECK(instance.pid != first);
  CHECK(instance.restarts == 1);
  CHECK(instance.exit_code == 1);
  CHECK(harness.has_event(instance, "exited with code 1; restarting"));
}

TEST_CASE("restart_delay: the instance waits, and is spawned when the delay has passed") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.restart_delay = Milliseconds{500};
  Instance& instance = harness.add(spec);
  harness.clock().advance(Milliseconds{5000});
  harness.exit_by_signal(instance.pid, SIGSEGV);
  CHECK(instance.status == Status::kWaitingRestart);
  CHECK(instance.exit_signal == SIGSEGV);
  CHECK(harness.clock().next_due() == Milliseconds{500});
  harness.clock().advance(Milliseconds{499});
  CHECK(harness.launch_count() == 1);
  harness.clock().advance(Milliseconds{1});
  CHECK(harness.launch_count() == 2);
  CHECK(instance.status == Status::kOnline);
}

TEST_CASE("exp_backoff_restart_delay: each crash waits half as long again, up to the cap") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.exp_backoff_restart_delay = Milliseconds{100};
  spec.max_restarts = 100;
  Instance& instance = harness.add(spec);
  std::vector<long> delays;
  for (int crash = 0; crash < 4; ++crash) {
    harness.exit_with_code(instance.pid, 1);
    REQUIRE(instance.status == Status::kWaitingRestart);
    delays.push_back(harness.clock().next_due()->count());
    harness.clock().advance(*harness.clock().next_due());
    REQUIRE(instance.status == Status::kOnline);
  }
  CHECK(delays == std::vector<long>{100, 150, 225, 337});
  CHECK(harness.launch_count() == 5);
}

TEST_CASE("max_restarts: runs shorter than min_uptime end errored after max_restarts") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.max_restarts = 3;
  spec.min_uptime = Milliseconds{1000};
  Instance& instance = harness.add(spec);
  for (int crash = 0; crash < 2; ++crash) {
    harness.clock().advance(Milliseconds{999});
    harness.exit_with_code(instance.pid, 1);
    REQUIRE(instance.status == Status::kOnline);
  }
  harness.clock().advance(Milliseconds{10});
  harness.exit_with_code(instance.pid, 1);
  CHECK(instance.status == Status::kErrored);
  CHECK(instance.pid == 0);
  CHECK(harness.launch_count() == 3);
  CHECK(harness.has_event(instance, "3 unstable restarts in a row"));
}

TEST_CASE("min_uptime: a run that lasted long enough resets the count of unstable restarts") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.max_restarts = 2;
  spec.min_uptime = Milliseconds{1000};
  Instance& instance = harness.add(spec);
  harness.exit_with_code(instance.pid, 1);  // unstable: 1
  harness.clock().advance(Milliseconds{1000});
  harness.exit_with_code(instance.pid, 1);  // stable: back to 0
  harness.exit_with_code(instance.pid, 1);  // unstable: 1
  CHECK(instance.status == Status::kOnline);
  harness.exit_with_code(instance.pid, 1);  // unstable: 2, the limit
  CHECK(instance.status == Status::kErrored);
  CHECK(harness.launch_count() == 4);
}

TEST_CASE("autorestart off, and an exit code in stop_exit_codes, leave the instance stopped") {
  SupervisorHarness harness;
  AppSpec once = test_app("once");
  once.autorestart = false;
  Instance& job = harness.add(once);
  harness.exit_with_code(job.pid, 0);
  CHECK(job.status == Status::kStopped);
  CHECK(harness.has_event(job, "autorestart is off"));

  AppSpec coded = test_app("coded");
  coded.stop_exit_codes = {3};
  Instance& worker = harness.add(coded);
  harness.exit_with_code(worker.pid, 3);
  CHECK(worker.status == Status::kStopped);
  CHECK(harness.launch_count() == 2);
  harness.clock().advance(Milliseconds{60'000});
  CHECK(harness.launch_count() == 2);
}

TEST_CASE("restart: the instance is stopped, then spawned again with its crash history reset") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.max_restarts = 2;
  Instance& instance = harness.add(spec);
  harness.exit_with_code(instance.pid, 1);  // one unstable restart
  REQUIRE(instance.policy.unstable_restarts() == 1);
  const pid_t before = instance.pid;
  bool done = false;
  harness.supervisor().restart({&instance}, [&] { done = true; });
  CHECK(harness.was_signalled(-before, SIGINT));
  CHECK_FALSE(done);
  harness.exit_by_signal(before, SIGINT);
  CHECK(done);
  CHECK(instance.status == Status::kOnline);
  CHECK(instance.pid != before);
  CHECK(instance.restarts == 2);
  CHECK(instance.policy.unstable_restarts() == 0);
}

TEST_CASE("a spawn that fails for a passing shortage is retried, not counted as a crash") {
  SupervisorHarness harness;
  harness.runner().fail_next_launch = {"fork: Resource temporarily unavailable", EAGAIN};
  AppSpec spec = test_app("api");
  spec.autostart = false;
  harness.add(spec);
  Instance& instance = *harness.supervisor().find_app("api")->instances.front();
  CHECK(harness.supervisor().start({&instance}).size() == 1);
  CHECK(instance.status == Status::kWaitingRestart);
  CHECK(harness.clock().next_due() == Milliseconds{100});
  harness.clock().advance(Milliseconds{100});
  CHECK(instance.status == Status::kOnline);
  CHECK(instance.policy.unstable_restarts() == 0);

  harness.runner().fail_next_launch = {"exec server: No such file or directory", ENOENT};
  harness.exit_with_code(instance.pid, 1);
  CHECK(instance.status == Status::kErrored);
  CHECK_FALSE(harness.clock().next_due());
}

}  // namespace cxpm::testing
