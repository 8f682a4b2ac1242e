// Each method's result, error details and events: what the daemon sends reads back the same in
// the CLI, with the keys docs/protocol.md documents (scripts and pm2-style tools read them).

#include <doctest/doctest.h>

#include "cxpm/protocol/methods.hpp"

namespace cxpm {
namespace {

// Through text, as on the wire.
template <typename T>
T round_trip(const T& value) {
  return decode<T>(Json::parse(to_json(value).dump()), "result");
}

ProcessInfo running(int id) {
  ProcessInfo info;
  info.id = id;
  info.name = "api";
  info.instance = 1;
  info.pid = 4242;
  info.status = Status::kOnline;
  info.restarts = 2;
  info.unstable_restarts = 1;
  info.uptime_ms = 1500;
  info.created_at_ms = 1714561323004;
  info.exec_mode = ExecMode::kCluster;
  info.cpu = 12.25;
  info.memory = 5ull << 32;  // past 32 bits
  info.out_log = "/logs/api-out-1.log";
  info.error_log = "/logs/api-error-1.log";
  return info;
}

ProcessInfo exited() {
  ProcessInfo info = running(7);
  info.pid = 0;
  info.status = Status::kErrored;
  info.exit_code = 3;
  info.exit_signal = 9;
  info.events = {{1, "started"}, {2, "exited with code 3"}};
  info.process_tracking = "cgroup";
  return info;
}

}  // namespace

TEST_CASE("replies: a process object has exactly the documented keys") {
  const Json json = to_json(running(3));
  std::vector<std::string> keys;
  for (const auto& [key, _] : json.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"cpu", "created_at", "error_log", "exec_mode", "exit_code",
                                         "exit_signal", "id", "instance", "memory", "name",
                                         "namespace", "out_log", "pid", "restarts", "status",
                                         "unstable_restarts", "uptime_ms"});
  CHECK(json.at("exit_code").is_null());
  CHECK(json.at("status") == "online");
  CHECK(json.at("exec_mode") == "cluster");
  // describe's extras appear only when there are some.
  const Json described = to_json(exited());
  CHECK(described.at("events")[1] == Json{{"at", 2}, {"message", "exited with code 3"}});
  CHECK(described.at("process_tracking") == "cgroup");
  CHECK(described.at("exit_signal") == 9);
}

TEST_CASE("replies: processes, ping, kill, flush and reloadLogs come back equal") {
  const ProcessesResult processes{{running(1), exited()}};
  CHECK(round_trip(processes) == processes);
  CHECK(round_trip(ProcessesResult{}) == ProcessesResult{});
  // jlist prints the objects again from what it read: they must be the same text.
  const Json sent = to_json(processes);
  CHECK(to_json(round_trip(processes)).dump() == sent.dump());

  const PingResult ping{123, "1.2.3", 456, 120, "1.2.2", "", "the new daemon exited"};
  CHECK(to_json(ping) == Json{{"pid", 123},
                              {"version", "1.2.3"},
                              {"uptime_ms", 456},
                              {"keeper_pid", 120},
                              {"keeper_version", "1.2.2"},
                              {"keeper_lost", ""},
                              {"update_failure", "the new daemon exited"}});
  CHECK(round_trip(ping) == ping);
  // No keeper: its fields stay empty, and come back so.
  CHECK(round_trip(PingResult{1, "1.0", 2}) == PingResult{1, "1.0", 2});
  const KillResult kill{4, 99};
  CHECK(to_json(kill) == Json{{"stopped", 4}, {"pid", 99}});
  CHECK(round_trip(kill) == kill);
  const FlushResult flush{{"/a.log", "/b.log"}};
  CHECK(to_json(flush) == Json{{"files", {"/a.log", "/b.log"}}});
  CHECK(round_trip(flush) == flush);
  CHECK(round_trip(ReloadLogsResult{5}) == ReloadLogsResult{5});
  CHECK(to_json(ReloadLogsResult{5}) == Json{{"reopened", 5}});
  CHECK(to_json(EmptyResult{}) == Json::object());
}

TEST_CASE("replies: describe carries each process with its app's whole spec") {
  AppSpec spec;
  spec.name = "api";
  spec.script = "/srv/api.js";
  spec.kill_signal = "SIGTERM";
  spec.env = AppEnvironment(Environment{{"PORT", "3000"}});
  const DescribeResult result{{{exited(), spec}}};
  const Json json = to_json(result);
  const Json& process = json.at("processes")[0];
  CHECK(process.at("name") == "api");
  CHECK(process.at("spec").at("kill_signal") == "SIGTERM");
  CHECK(process.at("spec").at("kill_timeout") == 1600);
  CHECK(process.at("spec").at("env") == Json{{"PORT", "3000"}});
  const auto back = round_trip(result);
  CHECK(back == result);
  CHECK(back.processes[0].spec.env.at("PORT") == "3000");
}

TEST_CASE("replies: reload's steps, and the details of a failure, come back equal") {
  const ReloadedInstance step{"web", 1, 5, 100, 200, 85, false};
  CHECK(to_json(step) == Json{{"name", "web"},
                              {"instance", 1},
                              {"id", 5},
                              {"old_pid", 100},
                              {"new_pid", 200},
                              {"ready_ms", 85},
                              {"restarted", false},
                              {"drain_ms", 0}});
  const ReloadResult result{{running(5)}, {step, {"web", 0, 4, 90, 91, 0, true}}};
  CHECK(round_trip(result) == result);
  CHECK(round_trip(ReloadFailure{{step}}) == ReloadFailure{{step}});
  const FlushFailure flush{{"/a.log"}, {"/a.log: is a link"}};
  CHECK(to_json(flush) == Json{{"files", {"/a.log"}}, {"errors", {"/a.log: is a link"}}});
  CHECK(round_trip(flush) == flush);
  const ReopenFailure reopen{2, {"/b.log: gone"}};
  CHECK(to_json(reopen) == Json{{"reopened", 2}, {"errors", {"/b.log: gone"}}});
  CHECK(round_trip(reopen) == reopen);
  CHECK(round_trip(UnknownAppDetails{{"api", "worker"}}) == UnknownAppDetails{{"api", "worker"}});
}

TEST_CASE("replies: busy names the apps, or all of them") {
  const BusyDetails some{"reload", false, {"api", "web"}, true, 2000};
  CHECK(
      to_json(some) ==
      Json{{"operation", "reload"}, {"apps", {"api", "web"}}, {"running", true}, {"for_ms", 2000}});
  CHECK(round_trip(some) == some);
  const BusyDetails all{"stop", true, {}, false, 10};
  CHECK(to_json(all).at("apps") == "all");
  CHECK(round_trip(all) == all);
  CHECK_THROWS_AS(decode<BusyDetails>(Json{{"apps", "web"}}, "details"), ArgsError);
}

TEST_CASE("replies: logs events, tail and live, come back as themselves") {
  TailEvent tail{"/logs/api-out.log", "out", "api", std::nullopt, std::nullopt, true, {"a", ""}};
  const Json tail_json = to_json(LogEvent{tail});
  CHECK(tail_json.at("kind") == "tail");
  CHECK(tail_json.at("id").is_null());  // merge_logs: several instances share the file
  CHECK(tail_json.at("instance").is_null());
  CHECK(decode<LogEvent>(tail_json, "event") == LogEvent{tail});
  tail.id = 3;
  tail.instance = 0;
  CHECK(decode<LogEvent>(to_json(LogEvent{tail}), "event") == LogEvent{tail});

  const LiveEvent live{"api", 3, 0, "err", 1714561323004, {"boom"}};
  const Json live_json = to_json(live);
  CHECK(live_json == Json{{"kind", "live"},
                          {"app", "api"},
                          {"id", 3},
                          {"instance", 0},
                          {"stream", "err"},
                          {"time", 1714561323004},
                          {"lines", {"boom"}}});
  CHECK(decode<LogEvent>(live_json, "event") == LogEvent{live});
  CHECK_THROWS_WITH_AS(decode<LogEvent>(Json{{"kind", "other"}}, "event"),
                       "event.kind: expected \"tail\" or \"live\", got \"other\"", ArgsError);
}

TEST_CASE("replies: a reply that does not match its type names the field") {
  const Json bad = Json::parse(R"({"processes":[{"id":1,"name":"a","status":"sleepy"}]})");
  CHECK_THROWS_WITH_AS(decode<ProcessesResult>(bad, "result"),
                       "result.processes[0].status: unknown status 'sleepy'", ArgsError);
  CHECK_THROWS_WITH_AS(decode<PingResult>(Json{{"pid", "1"}}, "result"),
                       "result.pid: expected an integer, got string", ArgsError);
}

TEST_CASE("methods: one name each, and exactly the documented ones wait their turn") {
  CHECK(method::ReloadLogs::kName == "reloadLogs");
  CHECK(method::Delete::kName == "delete");
  CHECK(method::Start::kWaitsForItsApps);
  CHECK(method::Stop::kWaitsForItsApps);
  CHECK(method::Restart::kWaitsForItsApps);
  CHECK(method::Reload::kWaitsForItsApps);
  CHECK(method::Scale::kWaitsForItsApps);
  CHECK(method::Delete::kWaitsForItsApps);
  CHECK(method::Reset::kWaitsForItsApps);
  CHECK_FALSE(method::Kill::kWaitsForItsApps);
  CHECK_FALSE(method::List::kWaitsForItsApps);
  CHECK_FALSE(method::Describe::kWaitsForItsApps);
  CHECK_FALSE(method::Logs::kWaitsForItsApps);
  CHECK_FALSE(method::Flush::kWaitsForItsApps);
  CHECK_FALSE(method::ReloadLogs::kWaitsForItsApps);
  CHECK_FALSE(method::Ping::kWaitsForItsApps);
  CHECK(method::SendSignal::kName == "sendSignal");
  CHECK_FALSE(method::SendSignal::kWaitsForItsApps);
}

}  // namespace cxpm
