#include "cxpm/daemon/memory_limit.hpp"

#include <map>
#include <vector>

#include "cxpm/config/units.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {

MemoryLimits::MemoryLimits(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate)
    : supervisor_(supervisor), gate_(gate), timer_(loop) {
  timer_.unref();  // checking never keeps the daemon alive by itself
}

void MemoryLimits::on_app_added(App& app) {
  if (app.spec.max_memory_restart == 0) return;
  limited_.insert(app.spec.name);
  if (!timer_.active()) schedule_check();
}

void MemoryLimits::on_app_removed(App& app) {
  limited_.erase(app.spec.name);
  if (limited_.empty()) timer_.stop();
}

void MemoryLimits::schedule_check() {
  timer_.start(kCheckInterval, [this] { check(); });
}

void MemoryLimits::check() {
  // Restarting may add or remove apps (and so change limited_): look first, then act.
  // (instance id, why), by app
  std::map<std::string, std::vector<std::pair<int, std::string>>> over;
  for (const auto& name : limited_) {
    App* app = supervisor_.find_app(name);
    if (!app) continue;
    const std::uint64_t limit = app->spec.max_memory_restart;
    for (auto& instance : app->instances) {
      // Only settled, running instances: one being stopped or restarted is dealt with already.
      if (instance->status != Status::kOnline || instance->pid <= 0) continue;
      const auto stat = read_process_stat(instance->pid);
      if (!stat || stat->rss_bytes <= limit) continue;
      over[name].emplace_back(instance->id, "memory " + format_bytes(stat->rss_bytes) +
                                                " is over max_memory_restart " +
                                                format_bytes(limit) + ": restarting");
    }
  }
  for (auto& [name, ids] : over) {
    // While another operation holds the app, the next check (kCheckInterval) looks again.
    gate_.run_if_idle("max_memory_restart restart", AppScope::of({name}),
                      [this, found = std::move(ids)](LifecycleGate::Hold hold) {
                        std::vector<Instance*> instances;
                        for (const auto& [id, why] : found) {
                          Instance* instance = supervisor_.find_instance(id);
                          if (!instance) continue;
                          supervisor_.record(*instance, why, "memory_limit");
                          instances.push_back(instance);
                        }
                        supervisor_.restart(instances,
                                            [hold = std::move(hold)] { hold.release(); });
                      });
  }
  if (!limited_.empty()) schedule_check();
}

}  // namespace cxpm
