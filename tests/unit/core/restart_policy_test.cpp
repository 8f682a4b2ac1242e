#include "cxpm/core/restart_policy.hpp"

#include <doctest/doctest.h>

using namespace cxpm;
using namespace std::chrono_literals;
using Action = RestartDecision::Action;

namespace {

// A hand-moved clock: each run lasts `uptime`, then the app exits with `code`.
struct FakeRun {
  RestartPolicy& policy;
  TimePoint now{};

  RestartDecision exit_after(Milliseconds uptime, int code = 1) {
    const TimePoint started = now;
    now += uptime;
    auto decision = policy.on_exit({code, std::nullopt, started, now});
    now += decision.delay;
    return decision;
  }
};

}  // namespace

TEST_CASE("restart policy: a crash restarts at once by default") {
  RestartPolicy policy{{}};
  FakeRun run{policy};
  auto decision = run.exit_after(5s);
  CHECK(decision.action == Action::kRestart);
  CHECK(decision.delay == 0ms);
}

TEST_CASE("restart policy: restart_delay waits before each restart") {
  RestartPolicy policy{{.restart_delay = 250ms}};
  FakeRun run{policy};
  CHECK(run.exit_after(5s).delay == 250ms);
}

TEST_CASE("restart policy: max_restarts unstable runs in a row end in errored") {
  RestartPolicy policy{{.max_restarts = 3, .min_uptime = 1000ms}};
  FakeRun run{policy};
  CHECK(run.exit_after(100ms).action == Action::kRestart);
  CHECK(run.exit_after(100ms).action == Action::kRestart);
  auto decision = run.exit_after(100ms);
  CHECK(decision.action == Action::kGiveUp);
  CHECK(decision.reason.find("3 unstable restarts") != std::string::npos);
}

TEST_CASE("restart policy: a stable run clears the unstable count") {
  RestartPolicy policy{{.max_restarts = 2, .min_uptime = 1000ms}};
  FakeRun run{policy};
  CHECK(run.exit_after(100ms).action == Action::kRestart);
  CHECK(policy.unstable_restarts() == 1);
  CHECK(run.exit_after(2s).action == Action::kRestart);
  CHECK(policy.unstable_restarts() == 0);
  CHECK(run.exit_after(100ms).action == Action::kRestart);
}

TEST_CASE("restart policy: stop_exit_codes and autorestart=false stop without restarting") {
  RestartPolicy listed{{.stop_exit_codes = {0, 3}}};
  FakeRun run{listed};
  CHECK(run.exit_after(5s, 3).action == Action::kStop);
  CHECK(run.exit_after(5s, 2).action == Action::kRestart);

  RestartPolicy off{{.autorestart = false}};
  FakeRun run_off{off};
  auto decision = run_off.exit_after(5s, 1);
  CHECK(decision.action == Action::kStop);
  CHECK(decision.reason.find("autorestart is off") != std::string::npos);
}

TEST_CASE("restart policy: a signal exit is never a stop exit code") {
  RestartPolicy policy{{.stop_exit_codes = {0}}};
  auto decision = policy.on_exit({std::nullopt, 9, TimePoint{}, TimePoint{5s}});
  CHECK(decision.action == Action::kRestart);
}

TEST_CASE("restart policy: exponential backoff grows by 1.5 up to 15 s and resets after 30 s up") {
  RestartPolicy policy{{.max_restarts = 1000, .exp_backoff_restart_delay = 100ms}};
  FakeRun run{policy};
  CHECK(run.exit_after(10ms).delay == 100ms);
  CHECK(run.exit_after(10ms).delay == 150ms);
  CHECK(run.exit_after(10ms).delay == 225ms);
  Milliseconds delay{};
  for (int i = 0; i < 30; ++i) delay = run.exit_after(10ms).delay;
  CHECK(delay == 15000ms);
  CHECK(run.exit_after(31s).delay == 100ms);
}

TEST_CASE("restart policy: the budget ends a slow crash loop that min_uptime misses") {
  RestartPolicy policy{{.restart_budget = 5, .restart_budget_window = 10min}};
  FakeRun run{policy};
  for (int i = 0; i < 5; ++i) CHECK(run.exit_after(30s).action == Action::kRestart);
  auto decision = run.exit_after(30s);
  CHECK(decision.action == Action::kGiveUp);
  CHECK(decision.reason.find("restart budget spent (5 restarts in 10 min)") != std::string::npos);
}

TEST_CASE("restart policy: restarts older than the window no longer count against the budget") {
  RestartPolicy policy{{.restart_budget = 2, .restart_budget_window = 1min}};
  FakeRun run{policy};
  CHECK(run.exit_after(20s).action == Action::kRestart);
  CHECK(run.exit_after(20s).action == Action::kRestart);
  CHECK(run.exit_after(50s).action == Action::kRestart);
}

TEST_CASE("restart policy: reset forgets the crash history") {
  RestartPolicy policy{{.max_restarts = 2, .restart_budget = 1, .restart_budget_window = 1h}};
  FakeRun run{policy};
  CHECK(run.exit_after(10ms).action == Action::kRestart);
  policy.reset();
  CHECK(policy.unstable_restarts() == 0);
  CHECK(run.exit_after(10ms).action == Action::kRestart);
}
