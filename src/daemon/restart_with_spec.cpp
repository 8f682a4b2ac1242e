// `restart` with new settings: given `apps`, each app object replaces the spec of the app of
// that name (what `cxpm restart <ecosystem file>` and `startOrRestart` send); given `env`, the
// variables are merged into the targeted apps' environments first (`--update-env`).

#include <memory>
#include <set>

#include "cxpm/daemon/app_features.hpp"
#include "cxpm/daemon/commands.hpp"
#include "cxpm/protocol/app_spec_json.hpp"

namespace cxpm {

std::vector<AppSpec> Commands::specs_of_known_apps(const Request& request,
                                                   const std::string& verb) {
  const ArgsReader args(request.args, "args");
  // Every spec is read and checked before any app is touched.
  std::vector<AppSpec> specs = app_specs_from_json(args);
  if (specs.empty())
    throw CommandError(error_code::kInvalidArgs, "args.apps: give at least one app");
  std::set<std::string> names;
  for (const auto& spec : specs) {
    if (!names.insert(spec.name).second) {
      throw CommandError(error_code::kInvalidArgs,
                         "two apps are named '" + spec.name + "'; names must be unique");
    }
    if (!supervisor_.find_app(spec.name)) {
      throw CommandError(error_code::kNotFound, "no app named '" + spec.name + "' to " + verb +
                                                    "; start it first (`cxpm startOr" +
                                                    (verb == "reload" ? "Reload" : "Restart") +
                                                    " <file>` starts what is missing and " + verb +
                                                    "s the rest)");
    }
    if (auto problem = daemon_spec_problem(spec)) {
      throw CommandError(error_code::kInvalidArgs, "app '" + spec.name + "': " + *problem);
    }
  }
  return specs;
}

void Commands::restart_with_specs(const Request& request, const Answer& answer) {
  auto specs = specs_of_known_apps(request, "restart");

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
      std::vector<int> ids;
      for (const auto& app_name : order) {
        if (App* app = supervisor_.find_app(app_name)) {
          for (auto& instance : app->instances) ids.push_back(instance->id);
        }
      }
      answer.reply(report(ids));
    });
  }
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
