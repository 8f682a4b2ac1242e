#include "cxpm/protocol/app_spec_json.hpp"

#include <map>

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

// The app's `env` over the request's shared environment, without the variables it names in
// `env_unset`. An app that unsets some is given a whole copy of its own: rare, and the shared
// base must stay the same for every app that holds it.
AppEnvironment environment_from(const ArgsReader& reader, const AppEnvironment::Base& shared) {
  Environment own = reader.string_map("env");
  const auto unset = reader.strings("env_unset");
  if (!shared || unset.empty()) return AppEnvironment(shared, std::move(own));
  Environment whole = *shared;
  for (const auto& name : unset) whole.erase(name);
  for (auto& [name, value] : own) whole.insert_or_assign(name, std::move(value));
  return AppEnvironment(std::move(whole));
}

// The base most of the specs share (nullptr when none has one): sent once as shared_env.
AppEnvironment::Base most_shared_base(const std::vector<AppSpec>& specs) {
  std::map<const Environment*, std::size_t> uses;
  AppEnvironment::Base best;
  std::size_t best_uses = 0;
  for (const auto& spec : specs) {
    const auto& base = spec.env.base();
    if (!base) continue;
    if (const std::size_t count = ++uses[base.get()]; count > best_uses) {
      best = base;
      best_uses = count;
    }
  }
  return best;
}

// The spec's variables as `env` (what differs from `shared`) and `env_unset` (what it lacks).
void put_environment(Json& out, const AppSpec& spec, const AppEnvironment::Base& shared) {
  if (shared && spec.env.base() == shared) {
    if (!spec.env.own().empty()) out["env"] = spec.env.own();
    return;
  }
  const Environment whole = spec.env.merged();
  Json env = Json::object();
  for (const auto& [name, value] : whole) {
    if (!shared) {
      env[name] = value;
    } else if (auto found = shared->find(name); found == shared->end() || found->second != value) {
      env[name] = value;
    }
  }
  if (!env.empty()) out["env"] = std::move(env);
  if (!shared) return;
  Json unset = Json::array();
  for (const auto& [name, _] : *shared) {
    if (!whole.contains(name)) unset.push_back(name);
  }
  if (!unset.empty()) out["env_unset"] = std::move(unset);
}

// Every field but env.
Json settings_of(const AppSpec& spec) {
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

}  // namespace

Json to_json(const AppSpec& spec) {
  Json out = settings_of(spec);
  out["env"] = spec.env.merged();
  return out;
}

AppSpec app_spec_from_json(const ArgsReader& reader, const AppEnvironment::Base& shared_env) {
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
  spec.env = environment_from(reader, shared_env);
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

Json app_specs_to_json(const std::vector<AppSpec>& specs) {
  // Only what differs from AppSpec's defaults goes on the wire: the daemon reads a missing
  // field as its default. A file of 10,000 apps is then a few MiB, not tens.
  static const Json kDefaults = settings_of(AppSpec{});
  const AppEnvironment::Base shared = most_shared_base(specs);
  Json apps = Json::array();
  for (const auto& spec : specs) {
    Json app = Json::object();
    Json settings = settings_of(spec);
    for (auto& [key, value] : settings.items()) {
      if (auto fallback = kDefaults.find(key); fallback != kDefaults.end() && *fallback == value) {
        continue;
      }
      app[key] = std::move(value);
    }
    put_environment(app, spec, shared);
    apps.push_back(std::move(app));
  }
  Json args{{"apps", std::move(apps)}};
  if (shared) args["shared_env"] = *shared;
  return args;
}

std::vector<AppSpec> app_specs_from_json(const ArgsReader& args) {
  AppEnvironment::Base shared;
  if (args.has("shared_env")) {
    shared = std::make_shared<const Environment>(args.string_map("shared_env"));
  }
  std::vector<AppSpec> specs;
  for (const auto& reader : args.objects("apps")) {
    specs.push_back(app_spec_from_json(reader, shared));
  }
  return specs;
}

}  // namespace cxpm
