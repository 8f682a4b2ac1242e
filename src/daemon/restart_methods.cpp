// The protocol's restart and reload. With targets, the instances are restarted (stop, then
// start) or reloaded (replaced without downtime), `env` (`--update-env`) merged into their
// apps' environments first. With `apps`, each app object replaces the spec of the app of that
// name (what `cxpm restart <ecosystem file>` and `startOrRestart` send). Members of Commands.

#include <deque>
#include <memory>
#include <set>

#include "cxpm/daemon/commands.hpp"

namespace cxpm {
void Commands::restart(const RestartArgs& args, const Answer& answer) {
  if (args.apps) return restart_with_specs(*args.apps, answer);
  const auto instances = instances_of(args.targets);
  if (args.env) merge_environment(instances, *args.env);
  supervisor_.restart(instances,
                      [this, answer, ids = ids_of(instances)] { answer.reply(report(ids)); });
}

void Commands::reload(const ReloadArgs& args, const Answer& answer) {
  const int parallel = static_cast<int>(args.parallel);
  if (args.apps) return reload_with_specs(*args.apps, parallel, answer);
  const auto instances = instances_of(args.targets);
  if (args.env) merge_environment(instances, *args.env);
  const auto ids = ids_of(instances);
  Reload::run(supervisor_, ids, parallel,
              [this, answer, ids](const std::vector<ReloadStep>& steps,
                                  const std::optional<std::string>& error) {
                reply_reloaded(answer, steps, error, ids);
              });
}

void Commands::restart_with_specs(std::vector<AppSpec> specs, const Answer& answer) {
  check_specs(specs, SpecsName::kExistingApps, "restart");
  // The apps restart side by side; the reply waits for the last one.
  auto remaining = std::make_shared<std::size_t>(specs.size());
  auto failures = std::make_shared<std::vector<std::string>>();
  std::vector<std::string> order;
  for (const auto& spec : specs) order.push_back(spec.name);
  for (auto& spec : specs) {
    const std::string name = spec.name;
    supervisor_.restart_with_spec(std::move(spec), [this, answer, remaining, failures, order,
                                                    name](std::vector<std::string> errors) {
      for (const auto& error : errors) failures->push_back("app '" + name + "' " + error);
      if (--*remaining > 0) return;
      // The new specs are in place even when a process failed to start: it is errored,
      // as after any failed restart, and the reply says why.
      if (!failures->empty()) return answer.fail(error_code::kFailed, failures->front());
      answer.reply(report(ids_of(instances_of_apps(order))));
    });
  }
}

void Commands::reload_with_specs(std::vector<AppSpec> specs, int parallel, const Answer& answer) {
  check_specs(specs, SpecsName::kExistingApps, "reload");
  // One app after another; the first failure ends it, like a failed instance does.
  struct Progress {
    std::deque<AppSpec> pending;
    std::vector<ReloadStep> steps;
    std::vector<std::string> names;
    int parallel;
    std::function<void()> next;
  };
  auto progress = std::make_shared<Progress>();
  for (auto& spec : specs) {
    progress->names.push_back(spec.name);
    progress->pending.push_back(std::move(spec));
  }
  progress->parallel = parallel;
  progress->next = [this, answer, weak = std::weak_ptr<Progress>(progress)] {
    auto progress = weak.lock();
    if (!progress) return;
    auto finish = [this, answer, progress](const std::vector<ReloadStep>& steps,
                                           const std::optional<std::string>& error) {
      progress->steps.insert(progress->steps.end(), steps.begin(), steps.end());
      if (error || progress->pending.empty()) {
        reply_reloaded(answer, progress->steps, error, ids_of(instances_of_apps(progress->names)));
        progress->next = nullptr;  // breaks the cycle progress -> next -> progress
        return;
      }
      progress->next();
    };
    AppSpec spec = std::move(progress->pending.front());
    progress->pending.pop_front();
    reload_with_spec(supervisor_, std::move(spec), progress->parallel, finish);
  };
  progress->next();
}

void Commands::reply_reloaded(const Answer& answer, const std::vector<ReloadStep>& steps,
                              const std::optional<std::string>& error,
                              const std::vector<int>& ids) {
  std::vector<ReloadedInstance> reloaded = steps;
  if (error) return answer.fail(error_code::kFailed, *error, ReloadFailure{std::move(reloaded)});
  answer.reply(ReloadResult{report(ids).processes, std::move(reloaded)});
}

void Commands::merge_environment(const std::vector<Instance*>& instances, const Environment& env) {
  std::set<App*> apps;
  for (auto* instance : instances) apps.insert(&instance->app);
  // The whole app's spec changes: instances not targeted get the new environment at their
  // next start, as pm2 does.
  for (App* app : apps) {
    for (const auto& [name, value] : env) app->spec.env[name] = value;
  }
}

}  // namespace cxpm
