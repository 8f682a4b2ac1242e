#include "cxpm/daemon/app_features.hpp"

#include <variant>

#include "cxpm/config/cron.hpp"
#include "cxpm/sys/user.hpp"

namespace cxpm {

AppFeatures::AppFeatures(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate)
    : watch_(loop, supervisor, gate),
      cron_(loop, supervisor, gate),
      memory_(loop, supervisor, gate) {
  supervisor.add_observer(&watch_);
  supervisor.add_observer(&cron_);
  supervisor.add_observer(&memory_);
}

std::optional<std::string> daemon_spec_problem(const AppSpec& spec) {
  if (!spec.cron_restart.empty()) {
    std::string problem;
    if (!CronSchedule::parse(spec.cron_restart, &problem)) {
      return "cron_restart: bad pattern \"" + spec.cron_restart + "\": " + problem;
    }
  }
  const auto run_as = resolve_run_as(spec.uid, spec.gid);
  if (const auto* problem = std::get_if<std::string>(&run_as)) return *problem;
  return std::nullopt;
}

}  // namespace cxpm
