// jlist's pm2 shape: the keys pm2's tools read, with pm2's values and units.
#include "cxpm/protocol/pm2_shape.hpp"

#include <doctest/doctest.h>

#include <regex>

namespace cxpm {

TEST_CASE("pm2 shape: pm_id, monit and pm2_env beside cxpm's own fields") {
  ProcessInfo info;
  info.id = 4;
  info.name = "api";
  info.app_namespace = "shop";
  info.instance = 1;
  info.pid = 4242;
  info.status = Status::kOnline;
  info.restarts = 3;
  info.unstable_restarts = 1;
  info.uptime_ms = 5000;
  info.created_at_ms = 1'700'000'000'000;
  info.exec_mode = ExecMode::kCluster;
  info.cpu = 12.5;
  info.memory = 1 << 20;
  info.out_log = "/logs/api-out-4.log";
  info.error_log = "/logs/api-error-4.log";
  info.events = {{1, "started"}};
  AppSpec spec;
  spec.name = "api";
  spec.script = "/srv/api/index.js";
  spec.cwd = "/srv/api";
  spec.env = Environment{{"A", "1"}};

  const Json json = pm2_process_json(info, spec, 2, 1'700'000'100'000);
  CHECK(json.at("id") == 4);  // cxpm's
  CHECK(json.at("restarts") == 3);
  CHECK_FALSE(json.contains("events"));
  CHECK(json.at("pm_id") == 4);
  CHECK(json.at("name") == "api");
  CHECK(json.at("pid") == 4242);
  CHECK(json.at("monit") == Json{{"memory", 1 << 20}, {"cpu", 12.5}});
  const Json& env = json.at("pm2_env");
  CHECK(env.at("status") == "online");
  CHECK(env.at("restart_time") == 3);
  CHECK(env.at("unstable_restarts") == 1);
  CHECK(env.at("pm_uptime") == 1'700'000'095'000);
  CHECK(env.at("created_at") == 1'700'000'000'000);
  CHECK(env.at("exec_mode") == "cluster_mode");
  CHECK(env.at("instances") == 2);
  CHECK(env.at("pm_exec_path") == "/srv/api/index.js");
  CHECK(env.at("pm_cwd") == "/srv/api");
  CHECK(env.at("pm_out_log_path") == "/logs/api-out-4.log");
  CHECK(env.at("pm_err_log_path") == "/logs/api-error-4.log");
  CHECK(env.at("NODE_APP_INSTANCE") == 1);
  CHECK(env.at("namespace") == "shop");
  CHECK(env.at("exit_code") == 0);
  CHECK(env.at("version") == "N/A");
  CHECK(env.at("exec_interpreter") == "node");
  CHECK(env.at("env").at("NODE_APP_INSTANCE") == "1");
  CHECK(env.at("env").at("A") == "1");
  const std::string id = env.at("unique_id");
  CHECK(std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                        "[0-9a-f]{12}")));
  CHECK(instance_unique_id(info) == id);  // stable
  ProcessInfo other = info;
  other.id = 5;
  CHECK(instance_unique_id(other) != id);

  info.pid = 0;
  info.status = Status::kStopped;
  info.exec_mode = ExecMode::kFork;
  const Json stopped = pm2_process_json(info, spec, 1, 1'700'000'100'000);
  CHECK(stopped.at("pm2_env").at("exec_mode") == "fork_mode");
  CHECK(stopped.at("pm2_env").at("pm_uptime") == 1'700'000'000'000);
}

}  // namespace cxpm
