// Restarts made of a stop and a start: `restart`, and `restart` with new settings.
#include "cxpm/core/instances.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {

void Supervisor::restart(const std::vector<Instance*>& instances, Done done) {
  std::vector<int> ids;
  for (auto* instance : instances) ids.push_back(instance->id);
  stop(instances, [this, ids = std::move(ids), done = std::move(done)] {
    // Found again by id: an instance may have been removed while it stopped.
    std::vector<Instance*> stopped;
    for (int id : ids) {
      if (auto* instance = find_instance(id)) stopped.push_back(instance);
    }
    for (auto* instance : stopped) {
      instance->restarts++;
      instance->policy.reset();
    }
    start(stopped);
    done();
  });
}

void Supervisor::restart_with_spec(AppSpec spec,
                                   std::function<void(std::vector<std::string>)> done) {
  App* app = find_app(spec.name);
  if (!app) return done({"the app was deleted before it restarted"});
  std::vector<Instance*> instances;
  for (auto& instance : app->instances) instances.push_back(instance.get());
  // The old spec stops the app (its kill_signal, its kill_timeout); the new one starts it.
  stop(instances, [this, spec = std::move(spec), done = std::move(done)]() mutable {
    App* app = find_app(spec.name);
    if (!app) return done({"the app was deleted while it restarted"});
    const std::string name = spec.name;
    replace_spec(*app, std::move(spec));
    for (auto& instance : app->instances) instance->restarts++;
    const int requested = app->spec.instances;  // "max" stays "max", not today's CPU count
    const int count = resolve_instance_count(requested, usable_cpu_count());
    scale(*app, count,
          [this, name, requested, done = std::move(done)](std::vector<std::string> errors) {
            if (App* scaled = find_app(name)) {
              scaled->spec.instances = requested;
              std::vector<Instance*> all;
              for (auto& instance : scaled->instances) all.push_back(instance.get());
              auto start_errors = start(all);
              errors.insert(errors.end(), start_errors.begin(), start_errors.end());
            }
            done(std::move(errors));
          });
  });
}

}  // namespace cxpm
