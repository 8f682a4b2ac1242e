// depends_on in the daemon: where an app stands against a condition, and the start that waits
// for it (started at once when met, given up when a dependency fails or the wait times out,
// transitively), on the fake runner and clock.
#include "cxpm/daemon/start_sequence.hpp"

#include <doctest/doctest.h>

#include "cxpm/daemon/dependency_wait.hpp"
#include "supervisor_fakes.hpp"

namespace cxpm::testing {
namespace {

using Kind = ConditionState::Kind;

AppSpec dependent(std::string name, std::string on, DependencyCondition condition) {
  AppSpec spec = test_app(std::move(name));
  spec.depends_on = {{std::move(on), condition}};
  spec.autostart = false;  // as the start adds it: stopped, until its dependencies allow
  return spec;
}

AppSpec one_shot(std::string name) {
  AppSpec spec = test_app(std::move(name));
  spec.autorestart = false;
  return spec;
}

// Runs the sequence; `outcome` is set once it is done.
void run(SupervisorHarness& harness, std::vector<std::string> apps,
         std::optional<StartSequenceOutcome>& outcome) {
  StartSequence::run(harness.supervisor(), std::move(apps),
                     [&outcome](StartSequenceOutcome done) { outcome = std::move(done); });
}

// One turn of the loop: the sequence's next look at its dependencies (50 ms).
void next_check(SupervisorHarness& harness) {
  uv_run(harness.supervisor().loop(), UV_RUN_ONCE);
}

}  // namespace

TEST_CASE("conditions: started, ready with wait_ready, completed, errored") {
  SupervisorHarness harness;
  AppSpec waits = test_app("api");
  waits.wait_ready = true;
  Instance& api = harness.add(waits);
  const App& app = api.app;
  CHECK(condition_state(app, DependencyCondition::kStarted).kind == Kind::kMet);
  const auto launching = condition_state(app, DependencyCondition::kReady);
  CHECK(launching.kind == Kind::kPending);
  CHECK(launching.why == "launching");
  harness.notify(api.pid, "READY", "1");
  CHECK(condition_state(app, DependencyCondition::kReady).kind == Kind::kMet);
  CHECK(condition_state(app, DependencyCondition::kCompleted).kind == Kind::kPending);
  // No health check has passed: not healthy.
  CHECK(condition_state(app, DependencyCondition::kHealthy).kind == Kind::kPending);

  Instance& job = harness.add(one_shot("job"));
  harness.exit_with_code(job.pid, 0);
  CHECK(condition_state(job.app, DependencyCondition::kCompleted).kind == Kind::kMet);
  CHECK(condition_state(job.app, DependencyCondition::kStarted).kind == Kind::kMet);
  const auto gone = condition_state(job.app, DependencyCondition::kReady);
  CHECK(gone.kind == Kind::kFailed);
  CHECK(gone.why == "exited with code 0 and is not restarted");

  Instance& bad = harness.add(one_shot("bad"));
  harness.exit_with_code(bad.pid, 3);
  const auto failed = condition_state(bad.app, DependencyCondition::kCompleted);
  CHECK(failed.kind == Kind::kFailed);
  CHECK(failed.why == "exited with code 3");

  Instance& stopped = harness.add([] {
    AppSpec spec = test_app("idle");
    spec.autostart = false;
    return spec;
  }());
  CHECK(condition_state(stopped.app, DependencyCondition::kStarted).kind == Kind::kPending);
  stopped.status = Status::kErrored;
  CHECK(condition_state(stopped.app, DependencyCondition::kStarted).why == "errored");
}

TEST_CASE("an app starts once its dependency is ready, and says how long it waited") {
  SupervisorHarness harness;
  AppSpec db = test_app("db");
  db.wait_ready = true;
  Instance& database = harness.add(db);
  Instance& api = harness.add(dependent("api", "db", DependencyCondition::kReady));
  std::optional<StartSequenceOutcome> outcome;
  run(harness, {"api"}, outcome);
  CHECK_FALSE(outcome);
  CHECK(api.status == Status::kStopped);
  CHECK(SupervisorHarness::has_event(api, "waiting to start for db (ready), at most 60.0 s"));
  next_check(harness);
  CHECK(api.status == Status::kStopped);
  harness.clock().advance(Milliseconds{1200});
  harness.notify(database.pid, "READY", "1");
  next_check(harness);
  REQUIRE(outcome);
  CHECK(api.status == Status::kOnline);
  CHECK(outcome->not_started.empty());
  REQUIRE(outcome->notes.size() == 1);
  CHECK(outcome->notes[0] == "api waited 1.2 s for db (ready)");
  CHECK(SupervisorHarness::has_event(api, "started: db (ready) met after 1.2 s"));
}

TEST_CASE("a failed dependency stops the start of its dependents, transitively") {
  SupervisorHarness harness;
  Instance& db = harness.add(one_shot("db"));
  harness.exit_with_code(db.pid, 3);
  Instance& api = harness.add(dependent("api", "db", DependencyCondition::kReady));
  Instance& web = harness.add(dependent("web", "api", DependencyCondition::kStarted));
  std::optional<StartSequenceOutcome> outcome;
  run(harness, {"web", "api"}, outcome);
  REQUIRE(outcome);  // settled at once: nothing left to wait for
  CHECK(api.status == Status::kStopped);
  CHECK(web.status == Status::kStopped);
  CHECK(harness.launch_count() == 1);
  const std::vector<std::string> expected{
      "api was not started: its dependency 'db' exited with code 3 and is not restarted",
      "web was not started: its dependency 'api' was not started (its dependency 'db' exited "
      "with code 3 and is not restarted)"};
  CHECK(outcome->not_started == expected);
  CHECK(SupervisorHarness::has_event(web, "not started: its dependency 'api' was not started"));
}

TEST_CASE("a wait longer than depends_timeout gives up, naming what it waited for") {
  SupervisorHarness harness;
  AppSpec slow = test_app("slow");
  slow.wait_ready = true;
  slow.listen_timeout = Milliseconds{60000};
  harness.add(slow);
  AppSpec spec = dependent("api", "slow", DependencyCondition::kReady);
  spec.depends_timeout = Milliseconds{500};
  Instance& api = harness.add(spec);
  std::optional<StartSequenceOutcome> outcome;
  run(harness, {"api"}, outcome);
  harness.clock().advance(Milliseconds{499});
  next_check(harness);
  CHECK_FALSE(outcome);
  harness.clock().advance(Milliseconds{1});
  next_check(harness);
  REQUIRE(outcome);
  REQUIRE(outcome->not_started.size() == 1);
  CHECK(outcome->not_started[0] ==
        "api was not started: waited 0.5 s (depends_timeout) for 'slow' to be ready (now "
        "launching)");
  CHECK(api.status == Status::kStopped);
}

TEST_CASE("apps waiting on each other in one start go in order") {
  SupervisorHarness harness;
  harness.add(test_app("a"));
  Instance& b = harness.add(dependent("b", "a", DependencyCondition::kStarted));
  Instance& c = harness.add(dependent("c", "b", DependencyCondition::kReady));
  std::optional<StartSequenceOutcome> outcome;
  run(harness, {"c", "b"}, outcome);
  REQUIRE(outcome);  // a is started, so b starts, and b is online, so c starts: all at once
  CHECK(b.status == Status::kOnline);
  CHECK(c.status == Status::kOnline);
  REQUIRE(harness.runner().launches.size() == 3);
  CHECK(harness.runner().launches[1].app == "b");
  CHECK(harness.runner().launches[2].app == "c");
}

}  // namespace cxpm::testing
