#include "cxpm/daemon/app_features.hpp"

#include <cerrno>
#include <variant>

#include "cxpm/config/cron.hpp"
#include "cxpm/config/health_check.hpp"
#include "cxpm/config/notify_settings.hpp"
#include "cxpm/daemon/log_hub.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/safe_open.hpp"
#include "cxpm/sys/user.hpp"

namespace cxpm {

AppFeatures::AppFeatures(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate)
    : watch_(loop, supervisor, gate),
      cron_(loop, supervisor, gate),
      memory_(loop, supervisor, gate),
      log_rotation_(loop, supervisor),
      health_(loop, supervisor, gate) {
  supervisor.add_observer(&watch_);
  supervisor.add_observer(&cron_);
  supervisor.add_observer(&memory_);
  supervisor.add_observer(&log_rotation_);
  supervisor.add_observer(&health_);
}

std::optional<std::string> daemon_spec_problem(const AppSpec& spec) {
  if (!spec.cron_restart.empty()) {
    std::string problem;
    if (!CronSchedule::parse(spec.cron_restart, &problem)) {
      return "cron_restart: bad pattern \"" + spec.cron_restart + "\": " + problem;
    }
  }
  if (!spec.rotate_interval.empty()) {
    std::string problem;
    if (!CronSchedule::parse(spec.rotate_interval, &problem)) {
      return "rotate_interval: bad pattern \"" + spec.rotate_interval + "\": " + problem;
    }
  }
  if (auto problem = health_check_problem(spec)) return problem;
  if (auto problem = notify_problem(spec)) return problem->message;
  const auto run_as = resolve_run_as(spec.uid, spec.gid);
  if (const auto* problem = std::get_if<std::string>(&run_as)) return *problem;
  // The rule the log files are opened by, applied now so that `start` says it: in a directory
  // others may write, as the app's user, or not at all. Relative paths are under
  // $CXPM_HOME/logs, checked at daemon start; a directory not made yet is the open's to report.
  const auto user = log_file_user_of(spec);
  for (const auto& [option, path] :
       {std::pair<const char*, const std::string&>{"out_file", spec.out_file},
        {"error_file", spec.error_file},
        {"log_file", spec.log_file}}) {
    if (path.empty() || path.front() != '/' || path == "/dev/null") continue;
    try {
      opener_in(SafePath::resolve(path).directory, user);
    } catch (const SystemError& error) {
      if (error.error_number == ENOENT) continue;
      return std::string(option) + " " + path + ": " + error.what();
    } catch (const std::exception& error) {
      return std::string(option) + " " + path + ": " + error.what();
    }
  }
  return std::nullopt;
}

}  // namespace cxpm
