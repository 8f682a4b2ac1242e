// What a notification hook is told: the event JSON with its count, and the CXPM_* variables.

#include "cxpm/protocol/notify_event.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>

namespace cxpm {
namespace {

DaemonEvent crash() {
  return {.time_ms = 1764625081123,
          .event = "crash",
          .app = "api",
          .id = 3,
          .instance = 1,
          .pid = 41250,
          .exit_code = 3,
          .restarts = 12,
          .message = "exited with code 3; restarting"};
}

bool has(const std::vector<std::string>& env, const std::string& assignment) {
  return std::ranges::find(env, assignment) != env.end();
}

TEST_CASE("notify event: the JSON names the kind, the app, the process, how it ended, the count") {
  const Json json = notify_event_json(crash(), 4);
  CHECK(json == Json{{"event", "crash"},
                     {"app", "api"},
                     {"id", 3},
                     {"instance", 1},
                     {"pid", 41250},
                     {"exit_code", 3},
                     {"time", 1764625081123},
                     {"restarts", 12},
                     {"count", 4},
                     {"message", "exited with code 3; restarting"}});
}

TEST_CASE("notify event: a signal is given by its name, and there is no exit code then") {
  DaemonEvent event = crash();
  event.exit_code.reset();
  event.exit_signal = SIGSEGV;
  const Json json = notify_event_json(event, 1);
  CHECK(json.at("signal") == "SIGSEGV");
  CHECK_FALSE(json.contains("exit_code"));
  const auto env = notify_event_environment(event, 1);
  CHECK(has(env, "CXPM_SIGNAL=SIGSEGV"));
  CHECK(has(env, "CXPM_EXIT_CODE="));
}

TEST_CASE("notify event: an event not about an exit tells no earlier run's exit code") {
  DaemonEvent event = crash();
  event.event = "unhealthy";
  CHECK_FALSE(notify_event_json(event, 1).contains("exit_code"));
  CHECK(has(notify_event_environment(event, 1), "CXPM_EXIT_CODE="));
}

TEST_CASE("notify event: the same as CXPM_* variables, the whole object in CXPM_EVENT_JSON") {
  const auto env = notify_event_environment(crash(), 2);
  CHECK(has(env, "CXPM_EVENT=crash"));
  CHECK(has(env, "CXPM_APP=api"));
  CHECK(has(env, "CXPM_INSTANCE=1"));
  CHECK(has(env, "CXPM_PID=41250"));
  CHECK(has(env, "CXPM_EXIT_CODE=3"));
  CHECK(has(env, "CXPM_RESTARTS=12"));
  CHECK(has(env, "CXPM_COUNT=2"));
  CHECK(has(env, "CXPM_MESSAGE=exited with code 3; restarting"));
  CHECK(has(env, "CXPM_EVENT_JSON=" + notify_event_json(crash(), 2).dump()));
}

TEST_CASE("notify event: a message that is not UTF-8 still makes JSON") {
  DaemonEvent event = crash();
  event.message = "bad \xff byte";
  const auto env = notify_event_environment(event, 1);
  CHECK(std::ranges::any_of(env, [](const std::string& item) {
    return item.starts_with("CXPM_EVENT_JSON=") && item.find("bad") != std::string::npos;
  }));
}

}  // namespace
}  // namespace cxpm
