#pragma once
// Turning `cxpm start ...` into complete AppSpecs: flags, ecosystem files, script lookup and
// the caller's environment. Everything is checked here, before the daemon is asked anything.

#include <optional>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

struct StartFlags {
  std::string name;
  std::string interpreter;
  std::vector<std::string> interpreter_args;
  std::string cwd;
  std::vector<std::string> env;  // K=V
  std::string instances;         // "", "4", "max", "-1"; given: cluster mode
  std::vector<int> ports;
  std::vector<std::string> listen;
  std::string socket_mode;
  bool no_autorestart = false;
  std::optional<int> max_restarts;
  std::string min_uptime;
  std::string restart_delay;
  std::string exp_backoff_restart_delay;
  std::vector<int> stop_exit_codes;
  std::string kill_signal;
  std::string kill_timeout;
  bool wait_ready = false;
  std::string listen_timeout;
  bool shutdown_with_message = false;
  std::string out_file;
  std::string error_file;
  std::string log_file;
  bool merge_logs = false;
  bool time = false;
  std::string log_date_format;
  std::string log_type;
  std::string max_size;
  std::optional<int> retain;
  bool compress = false;
  bool watch = false;
  std::vector<std::string> ignore_watch;
  std::string watch_delay;
  std::string cron_restart;
  std::string max_memory_restart;
  std::string only;               // ecosystem: a,b
  std::string env_profile;        // ecosystem: --env NAME
  std::vector<std::string> args;  // after --
  // The options given that describe a new app (--time, --cwd, ...): they cannot apply to an
  // ecosystem file's apps or to apps the daemon already has, so start refuses them there.
  std::vector<std::string> app_settings_given;
};

bool is_ecosystem_file(const std::string& path);

// This process's environment: the lowest layer of an app's env, as in pm2.
Environment caller_environment();

// The apps of an ecosystem file, filtered by --only; throws CliError listing every problem.
// With check_scripts, each app's script must also be found (for commands that start apps).
// `caller_env` is the lowest layer of each app's env (default: this process's environment).
std::vector<AppSpec> load_ecosystem(const std::string& path, const StartFlags& flags,
                                    bool check_scripts = true,
                                    const Environment* caller_env = nullptr);

// The app for `cxpm start <script|program|"shell command">` with flags; throws CliError.
AppSpec spec_from_flags(const std::string& script, const StartFlags& flags);

}  // namespace cxpm
