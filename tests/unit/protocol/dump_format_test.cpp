#include <doctest/doctest.h>

#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/persistence.hpp"

namespace cxpm {
namespace {

// Every setting away from its default, so a field the mapping forgot comes back different.
AppSpec unusual_spec() {
  AppSpec spec;
  spec.name = "api";
  spec.script = "/srv/api/server.js";
  spec.args = {"--port", "a b"};
  spec.interpreter = "node";
  spec.interpreter_args = {"--max-old-space-size=512"};
  spec.cwd = "/srv/api";
  spec.instances = -1;
  spec.exec_mode = ExecMode::kCluster;
  spec.listen = {"127.0.0.1:8080", "/run/api.sock"};
  spec.socket_mode = SocketMode::kShared;
  spec.instance_var = "INSTANCE";
  spec.increment_var = "PORT";
  spec.env = AppEnvironment(Environment{{"PATH", "/usr/bin"}, {"SECRET", "x=y\nz"}});
  spec.autorestart = false;
  spec.autostart = false;
  spec.max_restarts = 3;
  spec.min_uptime = Milliseconds{2500};
  spec.restart_delay = Milliseconds{100};
  spec.exp_backoff_restart_delay = Milliseconds{200};
  spec.stop_exit_codes = {0, 3};
  spec.restart_budget = 7;
  spec.restart_budget_window = Milliseconds{60000};
  spec.kill_signal = "SIGTERM";
  spec.kill_timeout = Milliseconds{5000};
  spec.treekill = false;
  spec.shutdown_with_message = true;
  spec.wait_ready = true;
  spec.listen_timeout = Milliseconds{9000};
  spec.out_file = "/var/log/api.out";
  spec.error_file = "/var/log/api.err";
  spec.log_file = "api.log";
  spec.merge_logs = true;
  spec.time = true;
  spec.log_date_format = "YYYY";
  spec.log_type = "json";
  spec.max_size = 1234;
  spec.retain = 2;
  spec.compress = true;
  spec.watch = {"/srv/api"};
  spec.ignore_watch = {"tmp"};
  spec.watch_delay = Milliseconds{300};
  spec.cron_restart = "0 3 * * *";
  spec.max_memory_restart = 300 * 1024 * 1024;
  spec.uid = "www-data";
  spec.gid = "www-data";
  return spec;
}

}  // namespace

TEST_CASE("a dump brings back every setting of every app") {
  Dump dump;
  dump.saved_at_ms = 1764603600000;
  dump.saved_by = "cxpm test";
  AppSpec plain;
  plain.name = "plain";
  plain.script = "/bin/true";
  dump.apps = {unusual_spec(), plain};
  const Dump back = dump_from_text(dump_to_text(dump));
  CHECK(back.saved_at_ms == dump.saved_at_ms);
  CHECK(back.saved_by == dump.saved_by);
  REQUIRE(back.apps.size() == 2);
  CHECK(back.apps[0] == dump.apps[0]);
  CHECK(back.apps[1] == dump.apps[1]);
}

TEST_CASE("an empty dump is a valid dump") {
  CHECK(dump_from_text(dump_to_text(Dump{})).apps.empty());
}

TEST_CASE("a damaged dump is refused with the reason, never half read") {
  CHECK_THROWS_WITH_AS(dump_from_text("{\"format\": \"cxpm-dump\", "), "dump.json: not valid JSON",
                       ArgsError);
  CHECK_THROWS_WITH_AS(dump_from_text("[]"), "dump.json: expected an object, got array", ArgsError);
  CHECK_THROWS_AS(dump_from_text(R"({"format": "pm2", "version": 1, "apps": []})"), ArgsError);
  CHECK_THROWS_WITH_AS(dump_from_text(R"({"format": "cxpm-dump", "version": 2, "apps": []})"),
                       "dump.json: version 2 is not one this cxpm reads (1)", ArgsError);
  CHECK_THROWS_WITH_AS(
      dump_from_text(R"({"format": "cxpm-dump", "version": 1, "apps": [{"name": "a"}]})"),
      "dump.json.apps[0].script: required", ArgsError);
}

TEST_CASE("persistence replies survive the wire") {
  ResurrectResult reply;
  reply.skipped = {"web"};
  reply.failed = {{"api", "exec /nope: No such file"}};
  const auto back = decode<ResurrectResult>(Json::parse(to_json(reply).dump()), "result");
  CHECK(back.skipped == reply.skipped);
  REQUIRE(back.failed.size() == 1);
  CHECK(back.failed[0].error == "exec /nope: No such file");
  CHECK(back.started.processes.empty());
  SaveArgs save;
  save.force = true;
  CHECK(decode<SaveArgs>(to_json(save), "args").force);
  CHECK(decode<SaveResult>(to_json(SaveResult{"/h/dump.json", 2, 5}), "result").instances == 5);
  CHECK(decode<ClearDumpResult>(to_json(ClearDumpResult{"/h/dump.json"}), "result").path ==
        "/h/dump.json");
}

}  // namespace cxpm
