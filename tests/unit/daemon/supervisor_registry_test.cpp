// The app registry's decisions: an app is added whole or not at all, and scale adds and
// removes instances by their indexes.
#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {

TEST_CASE("add_app: when one instance cannot start, the app is not added") {
  SupervisorHarness harness;
  harness.runner().launches_before_failure = 1;
  harness.runner().fail_next_launch = {"exec server: Permission denied", EACCES};
  AppSpec spec = test_app("api");
  spec.instances = 2;
  const auto error = harness.supervisor().add_app(spec);
  REQUIRE(error);
  CHECK(error->find("Permission denied") != std::string::npos);
  const pid_t started = harness.runner().launches.front().pid;
  CHECK(harness.was_signalled(-started, SIGKILL));
  // The one that did start is forgotten once it is reaped, and with it the app.
  REQUIRE(harness.supervisor().find_app("api") != nullptr);
  CHECK(harness.supervisor().find_app("api")->instances.size() == 1);
  harness.exit_by_signal(started, SIGKILL);
  CHECK(harness.supervisor().find_app("api") == nullptr);
  CHECK(harness.launch_count() == 2);  // and it was not restarted
}

TEST_CASE("scale: new instances take the lowest free indexes; the highest are removed first") {
  SupervisorHarness harness;
  AppSpec spec = test_app("api");
  spec.instances = 2;
  harness.add(spec);
  App& app = *harness.supervisor().find_app("api");
  std::vector<std::string> errors{"not called"};
  harness.supervisor().scale(app, 4, [&](std::vector<std::string> got) { errors = got; });
  CHECK(errors.empty());
  REQUIRE(app.instances.size() == 4);
  CHECK(harness.runner().launches[2].index == 2);
  CHECK(harness.runner().launches[3].index == 3);

  bool scaled = false;
  harness.supervisor().scale(app, 2, [&](std::vector<std::string>) { scaled = true; });
  const pid_t third = app.instances[2]->pid;
  const pid_t fourth = app.instances[3]->pid;
  CHECK(harness.was_signalled(-third, SIGINT));
  CHECK(harness.was_signalled(-fourth, SIGINT));
  CHECK_FALSE(harness.was_signalled_at_all(app.instances[0]->pid));
  harness.exit_by_signal(fourth, SIGINT);
  harness.exit_by_signal(third, SIGINT);
  CHECK(scaled);
  REQUIRE(app.instances.size() == 2);
  CHECK(app.instances[0]->index == 0);
  CHECK(app.instances[1]->index == 1);
  CHECK(app.spec.instances == 2);
}

}  // namespace cxpm::testing
