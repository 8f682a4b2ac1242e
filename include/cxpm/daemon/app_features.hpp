#pragma once
// The features that watch something outside an app and restart it: `watch`, `cron_restart`,
// `max_memory_restart` and the health checks. Each is an AppObserver of the supervisor, in a file
// of its own; this bundles them so the daemon owns one member, and checks the specs they rely on.

#include <uv.h>

#include <optional>
#include <string>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/daemon/cron_restart.hpp"
#include "cxpm/daemon/file_watch.hpp"
#include "cxpm/daemon/health_checks.hpp"
#include "cxpm/daemon/lifecycle_gate.hpp"
#include "cxpm/daemon/log_rotation_schedule.hpp"
#include "cxpm/daemon/memory_limit.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

class AppFeatures {
 public:
  // Their restarts take their turn in `gate` like any command, and are skipped (or, for
  // `watch`, retried) while another operation holds the app.
  AppFeatures(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate);
  AppFeatures(const AppFeatures&) = delete;
  AppFeatures& operator=(const AppFeatures&) = delete;

 private:
  FileWatch watch_;
  CronRestarts cron_;
  MemoryLimits memory_;
  LogRotationSchedules log_rotation_;  // rotate_interval
  HealthChecks health_;
};

// What in `spec` the daemon cannot honour, checked before an app is added or its spec
// replaced: a cron pattern that does not parse, a uid or gid that does not exist, one the
// daemon may not switch to because it is not root, or a log file in a directory other users
// may write when the app has no user of its own to open it as. nullopt when all is well.
std::optional<std::string> daemon_spec_problem(const AppSpec& spec);

}  // namespace cxpm
