// sendSignal: the chosen signal to each running instance's process group (the leader alone
// with treekill off), no timer and no change of state; stopped instances get nothing.
#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {

TEST_CASE("send_signal: to the group, recorded, and nothing else happens") {
  SupervisorHarness harness;
  Instance& instance = harness.add(test_app("api"));
  const pid_t pid = instance.pid;
  const Status before = instance.status;
  harness.supervisor().send_signal({&instance}, SIGUSR2);
  CHECK(harness.runner().signals == std::vector<SentSignal>{{-pid, SIGUSR2}});
  CHECK(instance.status == before);
  CHECK(instance.pid == pid);
  CHECK(harness.has_event(instance, "sent SIGUSR2 (sendSignal)"));
  harness.clock().advance(Milliseconds{60'000});
  CHECK(harness.runner().signals.size() == 1);  // no SIGKILL follows
}

TEST_CASE("send_signal: treekill off signals the leader; a stopped instance nothing") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.treekill = false;
  Instance& instance = harness.add(spec);
  const pid_t pid = instance.pid;
  harness.supervisor().send_signal({&instance}, SIGHUP);
  CHECK(harness.runner().signals == std::vector<SentSignal>{{pid, SIGHUP}});
  harness.supervisor().stop({&instance}, [] {});
  harness.exit_with_code(pid, 0);
  const auto sent = harness.runner().signals.size();
  harness.supervisor().send_signal({&instance}, SIGHUP);
  CHECK(harness.runner().signals.size() == sent);
}

}  // namespace cxpm::testing
