// The stop timer: kill_signal first, SIGKILL once kill_timeout has passed, and nothing more
// once the process is gone.
#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {

TEST_CASE("stop: kill_signal to the process group, then SIGKILL after kill_timeout") {
  SupervisorHarness harness;
  Instance& instance = harness.add(test_app("api"));
  const pid_t pid = instance.pid;
  bool stopped = false;
  harness.supervisor().stop({&instance}, [&] { stopped = true; });
  CHECK(instance.status == Status::kStopping);
  CHECK(harness.runner().signals == std::vector<SentSignal>{{-pid, SIGINT}});
  harness.clock().advance(Milliseconds{1599});
  CHECK(harness.runner().signals.size() == 1);
  harness.clock().advance(Milliseconds{1});
  CHECK(harness.was_signalled(-pid, SIGKILL));
  CHECK(harness.runner().killed_all.size() == 1);  // the spawn's other processes too
  CHECK(harness.has_event(instance, "still running after kill_timeout 1600 ms"));
  CHECK_FALSE(stopped);
  harness.exit_by_signal(pid, SIGKILL);
  CHECK(stopped);
  CHECK(instance.status == Status::kStopped);
  CHECK(harness.launch_count() == 1);  // a stop is not a crash
}

TEST_CASE("stop: a process that exits in time gets no SIGKILL") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.kill_signal = "SIGTERM";
  spec.kill_timeout = Milliseconds{300};
  Instance& instance = harness.add(spec);
  const pid_t pid = instance.pid;
  int stopped = 0;
  harness.supervisor().stop({&instance}, [&] { ++stopped; });
  CHECK(harness.was_signalled(-pid, SIGTERM));
  harness.clock().advance(Milliseconds{299});
  harness.exit_with_code(pid, 0);
  CHECK(stopped == 1);
  // What the leader left in its group is killed at its exit; the stop timer itself is gone.
  CHECK(harness.runner().signals == std::vector<SentSignal>{{-pid, SIGTERM}, {-pid, SIGKILL}});
  harness.clock().advance(Milliseconds{10'000});
  CHECK(harness.runner().signals.size() == 2);
  CHECK_FALSE(harness.has_event(instance, "still running after kill_timeout"));
  CHECK(harness.runner().retired.size() == 1);  // its tracking is given back
}

TEST_CASE("stop: treekill off signals the leader alone, SIGKILL too") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.treekill = false;
  Instance& instance = harness.add(spec);
  const pid_t pid = instance.pid;
  harness.supervisor().stop({&instance}, [] {});
  harness.clock().advance(spec.kill_timeout);
  CHECK(harness.runner().signals == std::vector<SentSignal>{{pid, SIGINT}, {pid, SIGKILL}});
  CHECK(harness.runner().killed_all.empty());
}

TEST_CASE("stop: a second stop while stopping waits for the same exit, without a new signal") {
  SupervisorHarness harness;
  Instance& instance = harness.add(test_app("api"));
  int stopped = 0;
  harness.supervisor().stop({&instance}, [&] { ++stopped; });
  harness.supervisor().stop({&instance}, [&] { ++stopped; });
  CHECK(harness.runner().signals.size() == 1);
  harness.exit_by_signal(instance.pid, SIGINT);
  CHECK(stopped == 2);
}

TEST_CASE("stop: an instance waiting to restart stops at once and is not spawned again") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.restart_delay = Milliseconds{1000};
  Instance& instance = harness.add(spec);
  const pid_t first_pid = instance.pid;
  harness.exit_with_code(first_pid, 1);
  REQUIRE(instance.status == Status::kWaitingRestart);
  bool stopped = false;
  harness.supervisor().stop({&instance}, [&] { stopped = true; });
  CHECK(stopped);
  CHECK(instance.status == Status::kStopped);
  harness.clock().advance(Milliseconds{5000});
  CHECK(harness.launch_count() == 1);
  CHECK_FALSE(harness.was_signalled(-first_pid, SIGINT));
}

TEST_CASE("remove: the instances are stopped, then forgotten with their app") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.instances = 2;
  harness.add(spec);
  App& app = *harness.supervisor().find_app("api");
  std::vector<Instance*> both{app.instances[0].get(), app.instances[1].get()};
  const pid_t first = both[0]->pid;
  const pid_t second = both[1]->pid;
  bool removed = false;
  harness.supervisor().remove(both, [&] { removed = true; });
  harness.exit_by_signal(first, SIGINT);
  CHECK_FALSE(removed);
  CHECK(harness.supervisor().find_app("api") != nullptr);
  harness.exit_by_signal(second, SIGINT);
  CHECK(removed);
  CHECK(harness.supervisor().find_app("api") == nullptr);
}

}  // namespace cxpm::testing
