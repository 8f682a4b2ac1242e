#include "cxpm/cli/start_plan.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "cxpm/cli/client.hpp"
#include "cxpm/config/command.hpp"
#include "cxpm/config/cron.hpp"
#include "cxpm/config/ecosystem.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/config/units.hpp"
#include "cxpm/core/parse_number.hpp"
#include "cxpm/sys/signals.hpp"
#include "cxpm/sys/spawn.hpp"

extern char** environ;

namespace cxpm {

Environment caller_environment() {
  Environment env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text = *entry;
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return env;
}

namespace {

std::string current_directory() {
  char buffer[4096];
  if (!::getcwd(buffer, sizeof buffer)) throw CliError("cannot read the current directory");
  return buffer;
}

bool is_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string absolute(const std::string& path, const std::string& base) {
  if (path.empty() || path.front() == '/') return path;
  return base + "/" + path;
}

std::string search_path(const AppSpec& spec) {
  const std::string* path = spec.env.lookup("PATH");
  return path ? *path : std::string();
}

// The caller's environment, read once per run and shared by every app started from flags.
const AppEnvironment::Base& shared_caller_environment() {
  static const AppEnvironment::Base shared =
      std::make_shared<const Environment>(caller_environment());
  return shared;
}

// Finds what the spec runs and checks it can run, so `start` fails here with a sentence
// rather than later in the daemon with an errored app.
void resolve_script(AppSpec& spec) {
  if (!is_directory(spec.cwd)) {
    throw CliError("app '" + spec.name + "': the working directory " + spec.cwd +
                   " does not exist");
  }
  if (spec.interpreter == "bash" && spec.interpreter_args == std::vector<std::string>{"-c"}) {
    return;  // already a shell command
  }
  const std::string in_cwd = absolute(spec.script, spec.cwd);
  if (is_file(in_cwd)) {
    spec.script = in_cwd;
  } else if (spec.script.find_first_of(" \t") != std::string::npos) {
    make_shell_command(spec);
    return;
  } else if (spec.script.find('/') != std::string::npos ||
             !find_program(spec.script, search_path(spec))) {
    throw CliError("app '" + spec.name + "': cannot find '" + spec.script + "': no such file in " +
                   spec.cwd + ", and no program by that name on PATH");
  }
  const auto argv = command_argv(spec);
  if (argv.front() != spec.script && !find_program(argv.front(), search_path(spec))) {
    throw CliError("app '" + spec.name + "': the interpreter '" + argv.front() +
                   "' is not on PATH; install it, or name another with --interpreter");
  }
  if (argv.front() == spec.script && spec.script.front() == '/' &&
      ::access(spec.script.c_str(), X_OK) != 0) {
    throw CliError("app '" + spec.name + "': " + spec.script +
                   " is not executable and cxpm knows no interpreter for it; make it executable "
                   "(chmod +x) or pass --interpreter");
  }
}

Milliseconds duration_flag(const std::string& flag, const std::string& text) {
  if (auto value = parse_duration(text)) return *value;
  throw CliError(flag + ": expected a duration such as 1600 (ms), 5s or 2m, got '" + text + "'");
}

std::uint64_t bytes_flag(const std::string& flag, const std::string& text) {
  if (auto value = parse_bytes(text)) return *value;
  throw CliError(flag + ": expected a size such as 300M, 64K, 1G or a number of bytes, got '" +
                 text + "'");
}

int instances_flag(const std::string& text) {
  if (text == "max") return 0;
  const std::optional<int> value = parse_whole<int>(text);
  if (!value) {
    throw CliError(
        "-i/--instances: expected a number, 'max', or a negative number (CPUs minus n), "
        "got '" +
        text + "'");
  }
  return *value;
}

}  // namespace

bool is_ecosystem_file(const std::string& path) {
  for (const char* extension : {".yaml", ".yml", ".json"}) {
    if (path.ends_with(extension)) return true;
  }
  return false;
}

std::vector<AppSpec> load_ecosystem(const std::string& path, const StartFlags& flags,
                                    bool check_scripts, const Environment* caller_env) {
  std::ifstream file(path);
  if (!file) throw CliError("cannot read " + path + ": no such file or not readable");
  std::stringstream text;
  text << file.rdbuf();

  const std::string full_path = absolute(path, current_directory());
  const std::string base_dir = full_path.substr(0, full_path.rfind('/'));
  const Ecosystem ecosystem = parse_ecosystem(
      text.str(), {path, base_dir.empty() ? "/" : base_dir,
                   caller_env ? *caller_env : caller_environment(), flags.env_profile});
  if (!ecosystem.ok()) {
    std::string message = path + " has " + std::to_string(ecosystem.errors.size()) +
                          (ecosystem.errors.size() == 1 ? " error" : " errors") +
                          "; nothing was started or changed:";
    for (const auto& error : ecosystem.errors) message += "\n  " + error.format();
    throw CliError(message);
  }

  std::vector<AppSpec> apps;
  std::vector<std::string> only;
  std::stringstream names(flags.only);
  for (std::string name; std::getline(names, name, ',');) {
    if (!name.empty()) only.push_back(name);
  }
  for (const auto& name : only) {
    if (std::ranges::none_of(ecosystem.apps,
                             [&](const AppSpec& app) { return app.name == name; })) {
      std::string known;
      for (const auto& app : ecosystem.apps) known += (known.empty() ? "" : ", ") + app.name;
      throw CliError("--only: " + path + " has no app named '" + name + "'; it has: " + known);
    }
  }
  for (AppSpec spec : ecosystem.apps) {
    if (!only.empty() && std::ranges::find(only, spec.name) == only.end()) continue;
    if (check_scripts) resolve_script(spec);
    apps.push_back(std::move(spec));
  }
  return apps;
}

AppSpec spec_from_flags(const std::string& script, const StartFlags& flags) {
  AppSpec spec;
  spec.script = script;
  spec.name = flags.name.empty() ? default_app_name(script) : flags.name;
  spec.cwd = flags.cwd.empty() ? current_directory() : absolute(flags.cwd, current_directory());
  spec.args = flags.args;
  spec.interpreter = flags.interpreter;
  spec.interpreter_args = flags.interpreter_args;
  spec.env = AppEnvironment(shared_caller_environment());
  for (const auto& assignment : flags.env) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw CliError("--env: expected KEY=VALUE, got '" + assignment + "'");
    }
    spec.env[assignment.substr(0, equals)] = assignment.substr(equals + 1);
  }
  if (!flags.instances.empty()) {
    // As in pm2, -i means cluster mode; cxpm clusters programs in any language.
    spec.instances = instances_flag(flags.instances);
    spec.exec_mode = ExecMode::kCluster;
  }
  for (int port : flags.ports) spec.listen.push_back(std::to_string(port));
  for (const auto& address : flags.listen) {
    spec.listen.push_back(
        address.find('/') != std::string::npos ? absolute(address, current_directory()) : address);
  }
  for (const auto& address : spec.listen) {
    std::string problem;
    if (!parse_listen_address(address, &problem)) throw CliError("--port/--listen: " + problem);
  }
  if (!spec.listen.empty()) spec.exec_mode = ExecMode::kCluster;
  if (flags.socket_mode == "shared") spec.socket_mode = SocketMode::kShared;
  if (flags.no_autorestart) spec.autorestart = false;
  if (flags.max_restarts) {
    if (*flags.max_restarts < 0) throw CliError("--max-restarts: must not be negative");
    spec.max_restarts = *flags.max_restarts;
  }
  if (!flags.min_uptime.empty()) spec.min_uptime = duration_flag("--min-uptime", flags.min_uptime);
  if (!flags.restart_delay.empty()) {
    spec.restart_delay = duration_flag("--restart-delay", flags.restart_delay);
  }
  if (!flags.exp_backoff_restart_delay.empty()) {
    spec.exp_backoff_restart_delay =
        duration_flag("--exp-backoff-restart-delay", flags.exp_backoff_restart_delay);
  }
  spec.stop_exit_codes = flags.stop_exit_codes;
  if (!flags.kill_signal.empty()) {
    const auto signal_number = signal_from_name(flags.kill_signal);
    if (!signal_number) {
      throw CliError("--kill-signal: unknown signal '" + flags.kill_signal +
                     "'; use a name such as SIGTERM or a number");
    }
    spec.kill_signal = signal_name(*signal_number);
  }
  if (!flags.kill_timeout.empty()) {
    spec.kill_timeout = duration_flag("--kill-timeout", flags.kill_timeout);
  }
  spec.wait_ready = flags.wait_ready;
  if (!flags.listen_timeout.empty()) {
    spec.listen_timeout = duration_flag("--listen-timeout", flags.listen_timeout);
  }
  spec.shutdown_with_message = flags.shutdown_with_message;
  spec.out_file = absolute(flags.out_file, current_directory());
  spec.error_file = absolute(flags.error_file, current_directory());
  spec.log_file = absolute(flags.log_file, current_directory());
  spec.merge_logs = flags.merge_logs;
  spec.time = flags.time;
  spec.log_date_format = flags.log_date_format;
  spec.log_type = flags.log_type;
  if (!flags.max_size.empty()) spec.max_size = bytes_flag("--max-size", flags.max_size);
  if (flags.retain) {
    if (*flags.retain < 0) throw CliError("--retain: must not be negative");
    spec.retain = *flags.retain;
  }
  spec.compress = flags.compress;
  if (flags.watch) spec.watch = {spec.cwd};
  spec.ignore_watch = flags.ignore_watch;
  if (!flags.watch_delay.empty()) {
    spec.watch_delay = duration_flag("--watch-delay", flags.watch_delay);
  }
  if (!flags.cron_restart.empty()) {
    std::string problem;
    if (!CronSchedule::parse(flags.cron_restart, &problem)) {
      throw CliError("--cron-restart: " + problem);
    }
    spec.cron_restart = flags.cron_restart;
  }
  if (!flags.max_memory_restart.empty()) {
    spec.max_memory_restart = bytes_flag("--max-memory-restart", flags.max_memory_restart);
  }
  resolve_script(spec);
  return spec;
}

}  // namespace cxpm
