// What `ls` and `describe` show of an instance: its state, counters, and CPU and memory read
// from /proc when asked.
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {

ProcessInfo Supervisor::describe(Instance& instance, bool with_events) {
  ProcessInfo info;
  info.id = instance.id;
  info.name = instance.app.spec.name;
  info.app_namespace = instance.app.spec.app_namespace;
  info.instance = instance.index;
  info.pid = instance.pid;
  info.status = instance.status;
  info.restarts = instance.restarts;
  info.unstable_restarts = instance.policy.unstable_restarts();
  info.created_at_ms = instance.app.created_at_ms;
  info.exec_mode = instance.app.spec.exec_mode;
  info.exit_code = instance.exit_code;
  info.exit_signal = instance.exit_signal;
  if (instance.drain) info.status_reason = instance.drain->state();
  info.out_log = out_log_path(instance);
  info.error_log = error_log_path(instance);
  info.health = instance.health;
  if (instance.status == Status::kOnline && instance.health_failing) {
    info.status = Status::kUnhealthy;
  }
  if (instance.pid > 0) {
    const TimePoint sampled_at = now();
    info.uptime_ms = (sampled_at - instance.started_at).count();
    if (const auto usage = usage_of(instance)) {
      info.memory = usage->memory_bytes;
      // CPU since the last look (or since start): no timer runs while nobody asks.
      const double elapsed_s = (sampled_at - instance.cpu_seen_at).count() / 1000.0;
      const double ticks = static_cast<double>(usage->cpu_ticks - instance.cpu_ticks_seen);
      if (elapsed_s > 0.05) {
        instance.cpu_percent =
            100.0 * ticks / static_cast<double>(clock_ticks_per_second()) / elapsed_s;
        instance.cpu_ticks_seen = usage->cpu_ticks;
        instance.cpu_seen_at = sampled_at;
      }
      info.cpu = instance.cpu_percent;
    }
  }
  if (with_events) {
    info.events.assign(instance.events.begin(), instance.events.end());
    info.process_tracking = runner_->tracking();
    info.memory_source = runner_->memory_source();
    info.connection_steering = connection_steering(instance.app);
  }
  return info;
}

std::optional<Supervisor::Usage> Supervisor::usage_of(const Instance& instance) {
  if (instance.pid <= 0) return std::nullopt;
  const auto stat = runner_->stat(instance.pid);
  if (!stat) return std::nullopt;
  // With a cgroup, what everything the app runs uses (its workers, its children).
  return Usage{runner_->memory_bytes(instance.spawn_tag).value_or(stat->rss_bytes),
               runner_->cpu_ticks(instance.spawn_tag).value_or(stat->cpu_ticks)};
}

}  // namespace cxpm
