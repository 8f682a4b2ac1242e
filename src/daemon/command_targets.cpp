// What a request acts on: its targets (names, ids, "all", script paths, namespaces; the order
// is pm2's, docs/cli.md "Targets") as instances, its apps' names as
// the scope it waits its turn on, its specs checked before anything is touched, and the
// report of the processes it leaves. Members of Commands shared by every method.

#include <filesystem>
#include <set>
#include <unordered_map>

#include "cxpm/config/dependency_check.hpp"
#include "cxpm/core/parse_number.hpp"
#include "cxpm/daemon/app_features.hpp"
#include "cxpm/daemon/commands.hpp"

namespace cxpm {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

constexpr std::string_view kDefaultNamespace = "default";  // pm2's, AppSpec's

// "/a/./b/../c.js" as "/a/c.js": a script and a target name the same file however written.
std::string lexically_normal(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().string();
}

CommandError unknown_id(const std::string& target) {
  return CommandError(error_code::kNotFound,
                      "no process with id " + target + " (see `cxpm ls` for ids)");
}

}  // namespace

std::vector<int> ids_of(const std::vector<Instance*>& instances) {
  std::vector<int> ids;
  for (auto* instance : instances) ids.push_back(instance->id);
  return ids;
}

std::vector<Instance*> Commands::every_instance() {
  std::vector<Instance*> out;
  for (auto& app : supervisor_.apps()) {
    for (auto& instance : app->instances) out.push_back(instance.get());
  }
  return out;
}

std::vector<Instance*> Commands::instances_of_apps(const std::vector<std::string>& names) {
  std::vector<Instance*> out;
  for (const auto& name : names) {
    if (App* app = supervisor_.find_app(name)) {
      for (auto& instance : app->instances) out.push_back(instance.get());
    }
  }
  return out;
}

std::vector<App*> Commands::apps_named(const std::string& target) {
  // pm2's getProcessIdByName: the app's name, or its script when the target is a path (the
  // CLI has made a path absolute against its own directory); then pm2's namespace.
  std::vector<App*> found;
  const bool is_path = target.starts_with('/');
  const std::string wanted = is_path ? lexically_normal(target) : target;
  for (auto& app : supervisor_.apps()) {
    if (app->spec.name == target || (is_path && lexically_normal(app->spec.script) == wanted)) {
      found.push_back(app.get());
    }
  }
  if (!found.empty()) return found;
  for (auto& app : supervisor_.apps()) {
    if (app->spec.app_namespace == target) found.push_back(app.get());
  }
  return found;
}

std::vector<Instance*> Commands::instances_of(const std::vector<std::string>& targets) {
  std::vector<Instance*> found;
  std::set<int> seen;
  auto add = [&](const std::vector<Instance*>& instances) {
    for (auto* instance : instances) {
      if (seen.insert(instance->id).second) found.push_back(instance);
    }
  };
  for (const auto& target : targets) {
    if (target == "all") {
      add(every_instance());
    } else if (auto id = parse_whole<int>(target)) {
      auto* instance = supervisor_.find_instance(*id);
      if (!instance) throw unknown_id(target);
      add({instance});
    } else if (const auto apps = apps_named(target); !apps.empty()) {
      for (App* app : apps) {
        for (auto& instance : app->instances) add({instance.get()});
      }
    } else {
      throw unknown_target(target);
    }
  }
  return found;
}

CommandError Commands::unknown_target(const std::string& target) {
  std::vector<std::string> known;
  std::set<std::string> namespaces;
  for (auto& candidate : supervisor_.apps()) {
    known.push_back(candidate->spec.name);
    if (candidate->spec.app_namespace != kDefaultNamespace) {
      namespaces.insert(candidate->spec.app_namespace);
    }
  }
  std::string message = target.starts_with('/') ? "no app named '" + target + "' or running it"
                                                : "no app named '" + target + "'";
  message += known.empty() ? "; no apps are running (start one with `cxpm start <script>`)"
                           : "; known apps: " + join(known);
  if (!namespaces.empty()) {
    message +=
        "; namespaces: " + join(std::vector<std::string>(namespaces.begin(), namespaces.end()));
  }
  return CommandError(error_code::kNotFound, message, to_json(UnknownAppDetails{known}));
}

AppScope Commands::scope_of(const std::vector<std::string>& targets) {
  std::set<std::string> names;
  for (const auto& target : targets) {
    if (target == "all") return AppScope::all();
    if (auto id = parse_whole<int>(target)) {
      const Instance* instance = supervisor_.find_instance(*id);
      if (!instance) throw unknown_id(target);
      names.insert(instance->app.spec.name);
    } else if (const auto apps = apps_named(target); !apps.empty()) {
      for (const App* app : apps) names.insert(app->spec.name);
    } else {
      names.insert(target);  // unknown: refused when its turn comes
    }
  }
  return AppScope::of(std::move(names));
}

namespace {

AppScope scope_of_specs(const std::vector<AppSpec>& specs) {
  std::set<std::string> names;
  for (const auto& spec : specs) names.insert(spec.name);
  return AppScope::of(std::move(names));
}

}  // namespace

AppScope Commands::scope_of(const StartArgs& args) {
  return args.targets ? scope_of(*args.targets) : scope_of_specs(args.apps);
}

AppScope Commands::scope_of(const RestartArgs& args) {
  return args.apps ? scope_of_specs(*args.apps) : scope_of(args.targets);
}

void Commands::check_specs(const std::vector<AppSpec>& specs, SpecsName names,
                           const std::string& verb) {
  std::set<std::string> seen;
  for (const auto& spec : specs) {
    if (!seen.insert(spec.name).second) {
      throw CommandError(error_code::kInvalidArgs,
                         "two apps are named '" + spec.name + "'; names must be unique");
    }
    const bool exists = supervisor_.find_app(spec.name) != nullptr;
    if (names == SpecsName::kNewApps && exists) {
      throw CommandError(error_code::kConflict,
                         "an app named '" + spec.name + "' already exists; use `cxpm restart " +
                             spec.name + "`, or pick another name with --name");
    }
    if (names == SpecsName::kExistingApps && !exists) {
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
}

void Commands::check_dependencies(const std::vector<AppSpec>& specs) {
  const auto problems = dependency_problems(
      specs,
      [this](const std::string& name) -> const AppSpec* {
        const App* app = supervisor_.find_app(name);
        return app ? &app->spec : nullptr;
      },
      "in this start nor in the daemon");
  if (problems.empty()) return;
  const DependencyProblem& first = problems.front();
  throw CommandError(error_code::kInvalidArgs,
                     "app '" + specs[first.app].name + "': " + first.message);
}

ProcessesResult Commands::report(const std::vector<int>& ids) {
  // One pass over the instances, not a search per id: a list of 10,000 is then linear.
  std::unordered_map<int, Instance*> by_id;
  by_id.reserve(ids.size());
  for (auto& app : supervisor_.apps()) {
    for (auto& each : app->instances) by_id.emplace(each->id, each.get());
  }
  ProcessesResult result;
  result.processes.reserve(ids.size());
  for (int id : ids) {
    if (auto found = by_id.find(id); found != by_id.end()) {
      result.processes.push_back(supervisor_.describe(*found->second, /*with_events=*/false));
    }
  }
  return result;
}

}  // namespace cxpm
