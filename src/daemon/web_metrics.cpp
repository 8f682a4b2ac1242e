#include "cxpm/daemon/web_metrics.hpp"

#include <unistd.h>

#include <set>

#include "cxpm/core/clock.hpp"
#include "cxpm/core/prometheus_text.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
namespace {

using Type = MetricFamily::Type;
MetricLabels instance_labels(const Instance& instance) {
  return MetricLabels({{"app", instance.app.spec.name},
                       {"instance", std::to_string(instance.index)},
                       {"namespace", instance.app.spec.app_namespace}});
}

}  // namespace

WebMetrics::WebMetrics(Supervisor& supervisor) : supervisor_(supervisor) {
  supervisor_.event_log().listen([this](const DaemonEvent& event) {
    // Reload (reload.cpp) records these two on the instance it replaces.
    if (event.event == "reload_failed") {
      ++reloads_[{event.app, event.instance}].failures;
    } else if (event.message.starts_with("reload: starting a replacement")) {
      ++reloads_[{event.app, event.instance}].reloads;
    }
  });
}

std::string WebMetrics::text() {
  MetricFamily up{"cxpm_process_up", "1 while the instance is online, else 0."};
  MetricFamily memory{"cxpm_process_resident_memory_bytes",
                      "Resident memory of the instance (its cgroup's where it has one), bytes."};
  MetricFamily cpu{"cxpm_process_cpu_seconds_total",
                   "CPU time of the instance (its cgroup's where it has one), seconds.",
                   Type::kCounter};
  MetricFamily restarts{"cxpm_process_restarts_total", "Restarts of the instance.", Type::kCounter};
  MetricFamily started{"cxpm_process_start_time_seconds",
                       "When the instance's running process started, unix seconds."};
  MetricFamily reloads{"cxpm_process_reloads_total", "Reloads that began replacing the instance.",
                       Type::kCounter};
  MetricFamily reload_failures{"cxpm_process_reload_failures_total",
                               "Reloads of the instance that failed.", Type::kCounter};
  MetricFamily instances{"cxpm_app_instances", "Instances the app has."};
  const double ticks_per_second = static_cast<double>(clock_ticks_per_second());
  const std::int64_t now_ms = unix_now_ms();
  const TimePoint now = supervisor_.now();
  // A reload runs a replacement beside the old instance, with the same index: one series
  // per index, the first (the one that serves until the replacement is ready).
  std::set<std::pair<std::string, int>> seen;
  for (const auto& app : supervisor_.apps()) {
    instances.add({{"app", app->spec.name}, {"namespace", app->spec.app_namespace}},
                  static_cast<double>(app->instances.size()));
    for (const auto& each : app->instances) {
      const Instance& instance = *each;
      if (!seen.emplace(app->spec.name, instance.index).second) continue;
      const MetricLabels labels = instance_labels(instance);
      // As describe says: an online instance whose health check fails is not up.
      const bool online = instance.status == Status::kOnline && !instance.health_failing;
      up.add(labels, online ? 1 : 0);
      restarts.add(labels, instance.restarts);
      const auto counted = reloads_.find({app->spec.name, instance.index});
      reloads.add(labels, counted == reloads_.end() ? 0 : counted->second.reloads);
      reload_failures.add(labels, counted == reloads_.end() ? 0 : counted->second.failures);
      const auto usage = supervisor_.usage_of(instance);
      if (!usage) continue;
      const auto uptime_ms = (now - instance.started_at).count();
      memory.add(labels, static_cast<double>(usage->memory_bytes));
      started.add(labels, static_cast<double>(now_ms - uptime_ms) / 1000.0);
      cpu.add(labels, static_cast<double>(usage->cpu_ticks) / ticks_per_second);
    }
  }
  MetricFamily lines{"cxpm_log_lines_total", "Lines the instance wrote, by stream.",
                     Type::kCounter};
  MetricFamily bytes{"cxpm_log_bytes_total", "Bytes the instance wrote, by stream.",
                     Type::kCounter};
  for (const auto& [key, count] : supervisor_.log_hub().written()) {
    const MetricLabels labels({{"app", key.app},
                               {"instance", std::to_string(key.instance)},
                               {"stream", key.is_error ? "err" : "out"}});
    lines.add(labels, static_cast<double>(count.lines));
    bytes.add(labels, static_cast<double>(count.bytes));
  }
  MetricFamily dropped{"cxpm_log_lines_dropped_total",
                       "Log lines that could not be written (a full disk, say), in all.",
                       Type::kCounter};
  dropped.add(MetricLabels(), static_cast<double>(supervisor_.log_hub().files().dropped_lines()));
  MetricFamily daemon_memory{"cxpm_daemon_resident_memory_bytes",
                             "Resident memory of the cxpm daemon, bytes."};
  MetricFamily daemon_cpu{"cxpm_daemon_cpu_seconds_total", "CPU time of the cxpm daemon, seconds.",
                          Type::kCounter};
  if (const auto self = read_process_stat(::getpid())) {
    daemon_memory.add(MetricLabels(), static_cast<double>(self->rss_bytes));
    daemon_cpu.add(MetricLabels(), static_cast<double>(self->cpu_ticks) / ticks_per_second);
  }
  return prometheus_text({up, memory, cpu, restarts, started, reloads, reload_failures, instances,
                          lines, bytes, dropped, daemon_memory, daemon_cpu});
}

}  // namespace cxpm
