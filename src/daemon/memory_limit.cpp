#include "cxpm/daemon/memory_limit.hpp"

#include <vector>

#include "cxpm/config/units.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {

MemoryLimits::MemoryLimits(uv_loop_t* loop, Supervisor& supervisor)
    : supervisor_(supervisor), timer_(loop) {
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
  std::vector<Instance*> over;
  for (const auto& name : limited_) {
    App* app = supervisor_.find_app(name);
    if (!app) continue;
    const std::uint64_t limit = app->spec.max_memory_restart;
    for (auto& instance : app->instances) {
      // Only settled, running instances: one being stopped or restarted is dealt with already.
      if (instance->status != Status::kOnline || instance->pid <= 0) continue;
      const auto stat = read_process_stat(instance->pid);
      if (!stat || stat->rss_bytes <= limit) continue;
      supervisor_.record(*instance, "memory " + format_bytes(stat->rss_bytes) +
                                        " is over max_memory_restart " + format_bytes(limit) +
                                        ": restarting");
      over.push_back(instance.get());
    }
  }
  // Restarting may add or remove apps (and so change limited_): act after looking.
  if (!over.empty()) supervisor_.restart(over, [] {});
  if (!limited_.empty()) schedule_check();
}

}  // namespace cxpm
