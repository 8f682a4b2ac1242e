#include "cxpm/protocol/app_spec_json.hpp"

#include "cxpm/config/app_name.hpp"

namespace cxpm {
namespace {

ExecMode exec_mode_from(const ArgsReader& reader) {
  const std::string mode = reader.string("exec_mode", "fork");
  if (mode == "fork") return ExecMode::kFork;
  if (mode == "cluster") return ExecMode::kCluster;
  throw ArgsError(reader.path_of("exec_mode") + ": expected \"fork\" or \"cluster\", got \"" +
                  mode + "\"");
}

SocketMode socket_mode_from(const ArgsReader& reader) {
  const std::string mode = reader.string("socket_mode", "reuseport");
  if (mode == "shared") return SocketMode::kShared;
  if (mode == "reuseport") return SocketMode::kReuseport;
  throw ArgsError(reader.path_of("socket_mode") + ": expected \"shared\" or \"reuseport\", got \"" +
                  mode + "\"");
}

Milliseconds ms(const ArgsReader& reader, const char* key, Milliseconds fallback) {
  const auto value = reader.integer(key, fallback.count());
  if (value < 0) throw ArgsError(reader.path_of(key) + ": must not be negative");
  return Milliseconds{value};
}

}  // namespace

Json to_json(const AppSpec& spec) {
  return Json{
      {"name", spec.name},
      {"script", spec.script},
      {"args", spec.args},
      {"interpreter", spec.interpreter},
      {"interpreter_args", spec.interpreter_args},
      {"cwd", spec.cwd},
      {"instances", spec.instances},
      {"exec_mode", to_string(spec.exec_mode)},
      {"listen", spec.listen},
      {"socket_mode", to_string(spec.socket_mode)},
      {"instance_var", spec.instance_var},
      {"increment_var", spec.increment_var},
      {"env", spec.env},
      {"autorestart", spec.autorestart},
      {"autostart", spec.autostart},
      {"max_restarts", spec.max_restarts},
      {"min_uptime", spec.min_uptime.count()},
      {"restart_delay", spec.restart_delay.count()},
      {"exp_backoff_restart_delay", spec.exp_backoff_restart_delay.count()},
      {"stop_exit_codes", spec.stop_exit_codes},
      {"restart_budget", spec.restart_budget},
      {"restart_budget_window", spec.restart_budget_window.count()},
      {"kill_signal", spec.kill_signal},
      {"kill_timeout", spec.kill_timeout.count()},
      {"treekill", spec.treekill},
      {"shutdown_with_message", spec.shutdown_with_message},
      {"wait_ready", spec.wait_ready},
      {"listen_timeout", spec.listen_timeout.count()},
      {"out_file", spec.out_file},
      {"error_file", spec.error_file},
      {"log_file", spec.log_file},
      {"merge_logs", spec.merge_logs},
      {"time", spec.time},
      {"log_date_format", spec.log_date_format},
      {"log_type", spec.log_type},
      {"max_size", spec.max_size},
      {"retain", spec.retain},
      {"compress", spec.compress},
      {"watch", spec.watch},
      {"ignore_watch", spec.ignore_watch},
      {"watch_delay", spec.watch_delay.count()},
      {"cron_restart", spec.cron_restart},
      {"max_memory_restart", spec.max_memory_restart},
      {"uid", spec.uid},
      {"gid", spec.gid},
  };
}

AppSpec app_spec_from_json(const ArgsReader& reader) {
  const AppSpec defaults;
  AppSpec spec;
  spec.name = reader.string("name");
  spec.script = reader.string("script");
  if (auto problem = app_name_problem(spec.name)) {
    throw ArgsError(reader.path_of("name") + ": " + *problem);
  }
  if (spec.script.empty()) throw ArgsError(reader.path_of("script") + ": required");
  spec.args = reader.strings("args");
  spec.interpreter = reader.string("interpreter");
  spec.interpreter_args = reader.strings("interpreter_args");
  spec.cwd = reader.string("cwd");
  spec.instances = static_cast<int>(reader.integer("instances", defaults.instances));
  spec.exec_mode = exec_mode_from(reader);
  spec.listen = reader.strings("listen");
  spec.socket_mode = socket_mode_from(reader);
  spec.instance_var = reader.string("instance_var", defaults.instance_var);
  spec.increment_var = reader.string("increment_var");
  spec.env = reader.string_map("env");
  spec.autorestart = reader.boolean("autorestart", defaults.autorestart);
  spec.autostart = reader.boolean("autostart", defaults.autostart);
  spec.max_restarts = static_cast<int>(reader.integer("max_restarts", defaults.max_restarts));
  spec.min_uptime = ms(reader, "min_uptime", defaults.min_uptime);
  spec.restart_delay = ms(reader, "restart_delay", defaults.restart_delay);
  spec.exp_backoff_restart_delay =
      ms(reader, "exp_backoff_restart_delay", defaults.exp_backoff_restart_delay);
  spec.stop_exit_codes = reader.integers("stop_exit_codes");
  spec.restart_budget = static_cast<int>(reader.integer("restart_budget", defaults.restart_budget));
  spec.restart_budget_window = ms(reader, "restart_budget_window", defaults.restart_budget_window);
  spec.kill_signal = reader.string("kill_signal", defaults.kill_signal);
  spec.kill_timeout = ms(reader, "kill_timeout", defaults.kill_timeout);
  spec.treekill = reader.boolean("treekill", defaults.treekill);
  spec.shutdown_with_message = reader.boolean("shutdown_with_message");
  spec.wait_ready = reader.boolean("wait_ready");
  spec.listen_timeout = ms(reader, "listen_timeout", defaults.listen_timeout);
  spec.out_file = reader.string("out_file");
  spec.error_file = reader.string("error_file");
  spec.log_file = reader.string("log_file");
  spec.merge_logs = reader.boolean("merge_logs");
  spec.time = reader.boolean("time");
  spec.log_date_format = reader.string("log_date_format");
  spec.log_type = reader.string("log_type");
  spec.max_size = static_cast<std::uint64_t>(
      reader.integer("max_size", static_cast<std::int64_t>(defaults.max_size)));
  spec.retain = static_cast<int>(reader.integer("retain", defaults.retain));
  spec.compress = reader.boolean("compress");
  spec.watch = reader.strings("watch");
  spec.ignore_watch = reader.strings("ignore_watch");
  spec.watch_delay = ms(reader, "watch_delay", defaults.watch_delay);
  spec.cron_restart = reader.string("cron_restart");
  spec.max_memory_restart = static_cast<std::uint64_t>(reader.integer("max_memory_restart"));
  spec.uid = reader.string("uid");
  spec.gid = reader.string("gid");
  return spec;
}

}  // namespace cxpm
