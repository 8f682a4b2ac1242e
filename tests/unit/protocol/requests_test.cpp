// Each method's arguments: what the CLI sends reads back the same in the daemon, the wire
// keys are the documented ones (docs/protocol.md, "Methods"), and a bad shape is refused
// naming the field.

#include "cxpm/protocol/requests.hpp"

#include <doctest/doctest.h>

namespace cxpm {
namespace {

// Through text, as on the wire.
template <typename T>
T round_trip(const T& value) {
  return decode<T>(Json::parse(to_json(value).dump()), "args");
}

template <typename T>
std::string refusal(const char* json) {
  try {
    (void)decode<T>(Json::parse(json), "args");
  } catch (const ArgsError& error) {
    return error.what();
  }
  FAIL("accepted: " << json);
  return {};
}

AppSpec app(const std::string& name) {
  AppSpec spec;
  spec.name = name;
  spec.script = "/bin/sleep";
  spec.args = {"1000"};
  return spec;
}

}  // namespace

TEST_CASE("requests: targets, scale, logs and flush come back equal with the documented keys") {
  TargetsArgs targets;
  targets.targets = {"api", "3", "all"};
  CHECK(to_json(targets) == Json{{"targets", {"api", "3", "all"}}});
  CHECK(round_trip(targets) == targets);
  targets.queue_wait = std::chrono::milliseconds{250};
  CHECK(to_json(targets).at("queue_wait_ms") == 250);
  CHECK(round_trip(targets) == targets);

  // Built whole, not member by member: GCC 12 at -O3 warns falsely that the assigned
  // strings may be used uninitialized (-Wmaybe-uninitialized).
  const ScaleArgs scale{{}, "web", "+2"};
  CHECK(to_json(scale) == Json{{"app", "web"}, {"count", "+2"}});
  CHECK(round_trip(scale) == scale);

  LogsArgs logs;
  logs.targets = {"web"};
  logs.lines = 0;
  logs.err = false;
  logs.follow = false;
  CHECK(to_json(logs) ==
        Json{{"targets", {"web"}}, {"lines", 0}, {"out", true}, {"err", false}, {"follow", false}});
  CHECK(round_trip(logs) == logs);

  FlushArgs flush;
  flush.targets = {"1"};
  CHECK(round_trip(flush) == flush);
  CHECK(to_json(NoArgs{}) == Json::object());
}

TEST_CASE("requests: logs and flush default to every app and logs to 15 followed lines") {
  const auto logs = decode<LogsArgs>(Json::object(), "args");
  CHECK(logs.targets == std::vector<std::string>{"all"});
  CHECK(logs.lines == 15);
  CHECK(logs.out);
  CHECK(logs.err);
  CHECK(logs.follow);
  CHECK(decode<FlushArgs>(Json::object(), "args").targets == std::vector<std::string>{"all"});
}

TEST_CASE("requests: start, restart and reload carry apps or targets") {
  StartArgs start;
  start.apps = {app("a"), app("b")};
  const Json sent = to_json(start);
  CHECK(sent.at("apps").size() == 2);
  CHECK_FALSE(sent.contains("targets"));
  CHECK(round_trip(start) == start);

  StartArgs known;
  known.targets = std::vector<std::string>{"a"};
  CHECK(to_json(known) == Json{{"targets", {"a"}}});
  CHECK(round_trip(known) == known);
  // Given targets, start acts on them and the apps are not read at all.
  const auto both =
      decode<StartArgs>(Json::parse(R"({"targets":["a"],"apps":[{"name":1}]})"), "args");
  CHECK(both.targets == std::vector<std::string>{"a"});
  CHECK(both.apps.empty());

  RestartArgs restart;
  restart.targets = {"web"};
  restart.env = Environment{{"A", "1"}};
  CHECK(to_json(restart) == Json{{"targets", {"web"}}, {"env", {{"A", "1"}}}});
  CHECK(round_trip(restart) == restart);

  ReloadArgs reload;
  reload.apps = std::vector<AppSpec>{app("web")};
  reload.parallel = 3;
  reload.queue_wait = std::chrono::milliseconds{0};
  const Json reload_sent = to_json(reload);
  CHECK(reload_sent.at("parallel") == 3);
  CHECK(reload_sent.at("queue_wait_ms") == 0);
  CHECK(round_trip(reload) == reload);
  CHECK(decode<ReloadArgs>(Json{{"targets", {"web"}}}, "args").parallel == 1);
}

TEST_CASE("requests: a bad shape is refused naming the field") {
  CHECK(refusal<TargetsArgs>("{}") == "args.targets: name at least one app, id, or \"all\"");
  CHECK(refusal<TargetsArgs>(R"({"targets":[]})") ==
        "args.targets: name at least one app, id, or \"all\"");
  CHECK(refusal<TargetsArgs>(R"({"targets":"api"})") ==
        "args.targets: expected an array of strings, got string");
  CHECK(refusal<TargetsArgs>(R"({"targets":["a"],"queue_wait_ms":-1})") ==
        "args.queue_wait_ms: expected 0 to 600000 ms, got -1");
  CHECK(refusal<TargetsArgs>(R"({"targets":["a"],"queue_wait_ms":600001})") ==
        "args.queue_wait_ms: expected 0 to 600000 ms, got 600001");
  CHECK(refusal<StartArgs>("{}") == "args.apps: give at least one app");
  CHECK(refusal<StartArgs>(R"({"apps":[]})") == "args.apps: give at least one app");
  CHECK(refusal<StartArgs>(R"({"apps":[{"name":"a"}]})") == "args.apps[0].script: required");
  CHECK(refusal<StartArgs>(R"({"targets":[]})") ==
        "args.targets: name at least one app, id, or \"all\"");
  CHECK(refusal<RestartArgs>(R"({"targets":["a"],"env":{"A":1}})") ==
        "args.env.A: expected a string, got number");
  CHECK(refusal<RestartArgs>(R"({"apps":[]})") == "args.apps: give at least one app");
  CHECK(refusal<ReloadArgs>(R"({"targets":["a"],"parallel":0})") == "args.parallel: at least 1");
  CHECK(refusal<ScaleArgs>(R"({"app":"web","count":2})") ==
        "args.count: expected a string, got number");
  CHECK(refusal<LogsArgs>(R"({"lines":100001})") == "args.lines: expected 0 to 100000, got 100001");
  CHECK(refusal<LogsArgs>(R"({"lines":-1})") == "args.lines: expected 0 to 100000, got -1");
  CHECK(refusal<LogsArgs>(R"({"follow":"no"})") == "args.follow: expected a boolean, got string");
  CHECK(refusal<LogsArgs>(R"({"targets":[]})") ==
        "args.targets: name at least one app, id, or \"all\"");
  CHECK(refusal<FlushArgs>(R"({"targets":[1]})") ==
        "args.targets[0]: expected a string, got number");
}

}  // namespace cxpm

namespace cxpm {

TEST_CASE("requests: sendSignal reads a signal's spellings as its name, and refuses others") {
  SignalArgs args;
  args.signal = "SIGUSR2";
  args.targets = {"api", "3"};
  CHECK(round_trip(args) == args);
  CHECK(to_json(args) == Json{{"signal", "SIGUSR2"}, {"targets", {"api", "3"}}});
  CHECK(decode<SignalArgs>(Json{{"signal", "usr2"}, {"targets", {"all"}}}, "args").signal ==
        "SIGUSR2");
  CHECK(decode<SignalArgs>(Json{{"signal", "12"}, {"targets", {"all"}}}, "args").signal ==
        "SIGUSR2");
  CHECK(refusal<SignalArgs>(R"({"signal": "SIGNOPE", "targets": ["all"]})") ==
        "args.signal: unknown signal 'SIGNOPE' (a name such as SIGUSR2 or USR2, or its number)");
  CHECK(refusal<SignalArgs>(R"({"signal": "USR2", "targets": []})").find("targets") !=
        std::string::npos);
}

}  // namespace cxpm
