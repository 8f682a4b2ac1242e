// Reload's decisions: a cluster instance's replacement must be ready before the old process is
// stopped; a replacement that fails leaves the old process serving, and the reload stops there.
#include "cxpm/daemon/reload.hpp"

#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {

namespace {

AppSpec cluster_app(int instances) {
  AppSpec spec = test_app("web");
  spec.exec_mode = ExecMode::kCluster;
  spec.instances = instances;
  spec.wait_ready = true;
  spec.listen_timeout = Milliseconds{3000};
  return spec;
}

struct Outcome {
  bool finished = false;
  std::vector<ReloadStep> steps;
  std::optional<std::string> error;
};

Reload::Finish recorder(Outcome& outcome) {
  return [&outcome](const std::vector<ReloadStep>& steps, const std::optional<std::string>& error) {
    outcome.finished = true;
    outcome.steps = steps;
    outcome.error = error;
  };
}

// Starts `spec` and makes each instance ready, as a reload finds them.
App& running(SupervisorHarness& harness, AppSpec spec) {
  harness.add(spec);
  App& app = *harness.supervisor().find_app(spec.name);
  for (auto& instance : app.instances) harness.notify(instance->pid, "READY", "1");
  return app;
}

}  // namespace

TEST_CASE("reload: the old process is stopped only once its replacement is ready") {
  SupervisorHarness harness;
  App& app = running(harness, cluster_app(1));
  Instance& old = *app.instances.front();
  const int id = old.id;
  const pid_t old_pid = old.pid;
  Outcome outcome;
  Reload::run(harness.supervisor(), {id}, 1, recorder(outcome));
  REQUIRE(harness.launch_count() == 2);
  const pid_t new_pid = harness.runner().launches.back().pid;
  CHECK(harness.runner().launches.back().index == 0);  // the same slot, so the same sockets
  CHECK(harness.runner().signals.empty());

  harness.clock().advance(Milliseconds{400});
  CHECK(harness.runner().signals.empty());
  harness.notify(new_pid, "READY", "1");
  CHECK(harness.was_signalled(-old_pid, SIGINT));
  CHECK_FALSE(harness.was_signalled(-new_pid, SIGINT));
  CHECK_FALSE(outcome.finished);

  harness.exit_by_signal(old_pid, SIGINT);
  REQUIRE(outcome.finished);
  CHECK_FALSE(outcome.error);
  REQUIRE(outcome.steps.size() == 1);
  CHECK(outcome.steps[0].old_pid == old_pid);
  CHECK(outcome.steps[0].new_pid == new_pid);
  CHECK(outcome.steps[0].ready_ms == 400);
  CHECK_FALSE(outcome.steps[0].restarted);
  REQUIRE(app.instances.size() == 1);
  Instance& successor = *app.instances.front();
  CHECK(successor.id == id);  // it takes over the old one's id and counters
  CHECK(successor.pid == new_pid);
  CHECK(successor.restarts == 1);
  CHECK(successor.status == Status::kOnline);
}

TEST_CASE("reload: one instance at a time, the next only once the previous is replaced") {
  SupervisorHarness harness;
  App& app = running(harness, cluster_app(2));
  const std::vector<int> ids{app.instances[0]->id, app.instances[1]->id};
  const pid_t first_old = app.instances[0]->pid;
  Outcome outcome;
  Reload::run(harness.supervisor(), ids, 1, recorder(outcome));
  CHECK(harness.launch_count() == 3);
  harness.notify(harness.runner().launches.back().pid, "READY", "1");
  CHECK(harness.launch_count() == 3);  // the second waits for the first old one to be gone
  harness.exit_by_signal(first_old, SIGINT);
  CHECK(harness.launch_count() == 4);
  CHECK(harness.runner().launches.back().index == 1);
  CHECK_FALSE(outcome.finished);
}

TEST_CASE("reload: a replacement that exits before it is ready ends the reload; the old serves") {
  SupervisorHarness harness;
  App& app = running(harness, cluster_app(2));
  const std::vector<int> ids{app.instances[0]->id, app.instances[1]->id};
  const pid_t old_pid = app.instances[0]->pid;
  Outcome outcome;
  Reload::run(harness.supervisor(), ids, 1, recorder(outcome));
  const pid_t new_pid = harness.runner().launches.back().pid;
  harness.exit_with_code(new_pid, 1);
  REQUIRE(outcome.finished);
  REQUIRE(outcome.error);
  CHECK(outcome.error->find("exited with code 1 before it was ready") != std::string::npos);
  CHECK(outcome.error->find("(pid " + std::to_string(old_pid) + ") keeps serving") !=
        std::string::npos);
  CHECK_FALSE(harness.was_signalled_at_all(old_pid));  // neither old process was touched
  CHECK_FALSE(harness.was_signalled_at_all(app.instances[1]->pid));
  CHECK(harness.launch_count() == 3);  // nor was the second instance tried, nor a restart
  CHECK(app.instances.size() == 2);
  CHECK(app.instances[0]->pid == old_pid);
}

TEST_CASE("reload: a replacement not ready within listen_timeout is stopped and removed") {
  SupervisorHarness harness;
  App& app = running(harness, cluster_app(1));
  const pid_t old_pid = app.instances.front()->pid;
  Outcome outcome;
  Reload::run(harness.supervisor(), {app.instances.front()->id}, 1, recorder(outcome));
  const pid_t new_pid = harness.runner().launches.back().pid;
  harness.clock().advance(Milliseconds{3000});
  CHECK(harness.was_signalled(-new_pid, SIGINT));
  CHECK_FALSE(harness.was_signalled(-old_pid, SIGINT));
  CHECK_FALSE(outcome.finished);  // until the replacement is gone
  harness.exit_by_signal(new_pid, SIGINT);
  REQUIRE(outcome.finished);
  REQUIRE(outcome.error);
  CHECK(outcome.error->find("was not ready within listen_timeout 3000 ms") != std::string::npos);
  REQUIRE(app.instances.size() == 1);
  CHECK(app.instances.front()->pid == old_pid);
  CHECK(app.instances.front()->status == Status::kOnline);
}

TEST_CASE("reload: a replacement that cannot be spawned ends the reload at once") {
  SupervisorHarness harness;
  App& app = running(harness, cluster_app(1));
  const pid_t old_pid = app.instances.front()->pid;
  harness.runner().fail_next_launch = {"exec server: No such file or directory", ENOENT};
  Outcome outcome;
  Reload::run(harness.supervisor(), {app.instances.front()->id}, 1, recorder(outcome));
  REQUIRE(outcome.finished);
  REQUIRE(outcome.error);
  CHECK(outcome.error->find("No such file or directory") != std::string::npos);
  REQUIRE(app.instances.size() == 1);
  CHECK(app.instances.front()->pid == old_pid);
  CHECK(harness.runner().signals.empty());
}

TEST_CASE("reload in fork mode restarts: stop, then start, as pm2 does") {
  SupervisorHarness harness;
  Instance& instance = harness.add(test_app("api"));
  const pid_t old_pid = instance.pid;
  Outcome outcome;
  Reload::run(harness.supervisor(), {instance.id}, 1, recorder(outcome));
  CHECK(harness.was_signalled(-old_pid, SIGINT));
  CHECK(harness.launch_count() == 1);  // nothing new before the old one is gone
  harness.clock().advance(Milliseconds{20});
  harness.exit_by_signal(old_pid, SIGINT);
  REQUIRE(outcome.finished);
  CHECK_FALSE(outcome.error);
  REQUIRE(outcome.steps.size() == 1);
  CHECK(outcome.steps[0].restarted);
  CHECK(outcome.steps[0].new_pid == instance.pid);
  CHECK(harness.launch_count() == 2);
}

}  // namespace cxpm::testing
