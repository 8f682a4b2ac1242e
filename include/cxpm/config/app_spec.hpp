#pragma once
// AppSpec: everything cxpm knows about how to run one app, as plain data.
// Names and defaults follow pm2's ecosystem schema so files move over by renaming.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/config/app_environment.hpp"
#include "cxpm/config/dependency.hpp"

namespace cxpm {

using Milliseconds = std::chrono::milliseconds;

enum class ExecMode { kFork, kCluster };

// How cluster workers share a listening address.
enum class SocketMode { kShared, kReuseport };

struct AppSpec {
  std::string name;
  std::string script;  // a file, a program on PATH, or a shell command line
  std::vector<std::string> args;
  std::string interpreter;  // empty: chosen by extension; "none": run the script itself
  std::vector<std::string> interpreter_args;
  std::string cwd;

  // Instances: a positive count, 0 for "max", negative for "max minus n".
  int instances = 1;
  ExecMode exec_mode = ExecMode::kFork;
  std::vector<std::string> listen;  // "[host:]port" or a unix socket path
  SocketMode socket_mode = SocketMode::kReuseport;
  std::string instance_var = "NODE_APP_INSTANCE";
  std::string increment_var;

  // The environment the app starts with, already merged (caller's < env < env_<profile>):
  // the caller's environment as a base shared with the apps started beside it.
  AppEnvironment env;

  // Restart policy.
  bool autorestart = true;
  bool autostart = true;
  int max_restarts = 16;
  Milliseconds min_uptime{1000};
  Milliseconds restart_delay{0};
  Milliseconds exp_backoff_restart_delay{0};  // 0: off
  std::vector<int> stop_exit_codes;
  // Beyond pm2: at most restart_budget restarts within restart_budget_window, then errored,
  // so a crash loop slower than min_uptime still ends. 0 disables the budget.
  int restart_budget = 60;
  Milliseconds restart_budget_window{10 * 60 * 1000};

  // Stopping.
  std::string kill_signal = "SIGINT";
  Milliseconds kill_timeout{1600};
  Milliseconds kill_retry_time{100};  // after that SIGKILL, again this often while any is left
  bool treekill = true;
  bool shutdown_with_message = false;
  // Cluster apps in reuseport mode: a retiring worker gets no new connection and is signalled
  // once its connections are answered, or after this long. 0: signalled at once.
  Milliseconds drain_timeout{10000};

  // Readiness.
  bool wait_ready = false;
  Milliseconds listen_timeout{3000};

  // Logs. Empty paths mean the default under $CXPM_HOME/logs.
  std::string out_file;
  std::string error_file;
  std::string log_file;
  bool merge_logs = false;
  bool time = false;
  std::string log_date_format;
  std::string log_type;  // "" or "json"
  std::uint64_t max_size = 10 * 1024 * 1024;
  int retain = 5;
  bool compress = false;        // gzip rotated files (pm2-logrotate's `compress`)
  std::string rotate_interval;  // a cron pattern: rotate then too; "" off (pm2-logrotate's)

  // Watching, schedules and limits.
  std::vector<std::string> watch;  // paths; empty: off
  std::vector<std::string> ignore_watch;
  Milliseconds watch_delay{0};
  std::string cron_restart;
  std::uint64_t max_memory_restart = 0;  // bytes; 0: off

  // Health checks (docs/health.md): at most one of http, tcp, exec; none set: no check.
  std::string health_http;                // a URL, http:// only; $VARIABLES of the instance
  std::string health_tcp;                 // host:port that must accept a connection
  std::vector<std::string> health_exec;   // argv; one string with spaces runs through sh -c
  std::string health_status = "200-399";  // http: the statuses that pass, "200" or "200-299"
  Milliseconds health_interval{5000};
  Milliseconds health_timeout{2000};
  int health_failures = 3;  // in a row before the instance is restarted
  Milliseconds health_start_period{0};
  bool health_wait_ready = false;  // ready (start --wait, reload) once the first check passes

  // Dependencies (docs/dependencies.md): apps started (by the same start) before this one,
  // each waited on for its condition at most depends_timeout.
  std::vector<Dependency> depends_on;
  Milliseconds depends_timeout{60000};
  // Notifications (docs/notifications.md): hooks told of the app's crashes, restarts, ...
  // Neither exec nor webhook: the daemon-wide ones of $CXPM_HOME/cxpm.yaml, if any.
  std::vector<std::string> notify_events;  // event kinds; empty: all of them
  std::string notify_exec;                 // a command line, run through sh -c
  std::string notify_webhook;              // an http:// URL the event is POSTed to
  Milliseconds notify_interval{30000};     // per app and kind: at most one notification this often
  Milliseconds notify_timeout{10000};      // a hook running longer is killed (or aborted)

  std::string uid;
  std::string gid;

  std::string version;  // pm2's `version`: the app's own, shown by jlist and describe
  // pm2's namespace: apps of one namespace can be named together as a target.
  std::string app_namespace = "default";

  bool operator==(const AppSpec&) const = default;
};

const char* to_string(ExecMode mode);
const char* to_string(SocketMode mode);

}  // namespace cxpm
