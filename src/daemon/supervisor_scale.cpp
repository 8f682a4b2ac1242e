// Instances removed (stopped, then forgotten) and the count of an app's instances changed.
#include <algorithm>

#include "cxpm/core/instances.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

void Supervisor::remove(const std::vector<Instance*>& instances, Done done) {
  std::vector<int> ids;
  for (auto* instance : instances) ids.push_back(instance->id);
  stop(instances, [this, ids, done = std::move(done)]() mutable {
    // A restart that was under way (watch, cron_restart, a `restart`) starts the instance
    // again as soon as it exits, before this runs: stop it again rather than forget a live
    // process.
    std::vector<Instance*> started_again;
    for (int id : ids) {
      if (auto* instance = find_instance(id)) {
        if (instance->pid > 0) {
          started_again.push_back(instance);
        } else {
          forget(*instance);
        }
      }
    }
    if (!started_again.empty()) return remove(started_again, std::move(done));
    done();
  });
}

void Supervisor::scale(App& app, int count, std::function<void(std::vector<std::string>)> done) {
  const int current = static_cast<int>(app.instances.size());
  app.spec.instances = count;
  if (count >= current) {
    std::vector<Instance*> added;
    for (int n = current; n < count; ++n) {
      std::vector<int> used;
      for (const auto& instance : app.instances) used.push_back(instance->index);
      app.instances.push_back(
          std::make_unique<Instance>(*timers_, app, next_id_++, lowest_free_index(used)));
      added.push_back(app.instances.back().get());
      record(*added.back(), "added by scale");
    }
    return done(start(added));
  }
  std::vector<Instance*> removed;
  for (const auto& instance : app.instances) removed.push_back(instance.get());
  std::ranges::sort(removed, [](auto* a, auto* b) { return a->index > b->index; });
  removed.resize(static_cast<std::size_t>(current - count));
  remove(removed, [done = std::move(done)] { done({}); });
}

}  // namespace cxpm
