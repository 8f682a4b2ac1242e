#include "cxpm/daemon/commands.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <set>
#include <unordered_map>

#include "cxpm/core/clock.hpp"
#include "cxpm/core/instances.hpp"
#include "cxpm/core/parse_number.hpp"
#include "cxpm/daemon/app_features.hpp"
#include "cxpm/protocol/app_spec_json.hpp"

namespace cxpm {
namespace {

std::optional<int> parse_id(std::string_view text) {
  return parse_whole<int>(text);
}

std::vector<int> ids_of(const std::vector<Instance*>& instances) {
  std::vector<int> ids;
  for (auto* instance : instances) ids.push_back(instance->id);
  return ids;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Commands::Commands(Supervisor& supervisor, LifecycleGate& gate, std::function<void()> shut_down)
    : supervisor_(supervisor),
      gate_(gate),
      shut_down_(std::move(shut_down)),
      started_at_ms_(unix_now_ms()) {
  methods_ = {
      {"ping", &Commands::ping},
      {"list", &Commands::list},
      {"describe", &Commands::describe},
      {"start", &Commands::start},
      {"stop", &Commands::stop},
      {"restart", &Commands::restart},
      {"delete", &Commands::remove},
      {"reset", &Commands::reset},
      {"kill", &Commands::kill},
      {"scale", &Commands::scale},
      {"logs", &Commands::logs},
      {"flush", &Commands::flush},
      {"reloadLogs", &Commands::reload_logs},
      {"reload", &Commands::reload},
  };
  // `kill` is not among them: it never waits (see stop_everything).
  lifecycle_methods_ = {"start", "stop", "restart", "delete", "reset", "scale", "reload"};
}

Json Commands::report(const std::vector<int>& ids, bool with_events) {
  // One pass over the instances, not a search per id: a list of 10,000 is then linear.
  std::unordered_map<int, Instance*> by_id;
  by_id.reserve(ids.size());
  for (auto& app : supervisor_.apps()) {
    for (auto& each : app->instances) by_id.emplace(each->id, each.get());
  }
  Json processes = Json::array();
  for (int id : ids) {
    if (auto found = by_id.find(id); found != by_id.end()) {
      Instance* instance = found->second;
      Json info = to_json(supervisor_.describe(*instance, with_events));
      if (with_events) info["spec"] = to_json(instance->app.spec);
      processes.push_back(std::move(info));
    }
  }
  return Json{{"processes", std::move(processes)}};
}

std::vector<Instance*> Commands::targets_of(const Request& request) {
  const ArgsReader args(request.args, "args");
  const auto targets = args.strings("targets");
  if (targets.empty()) {
    throw CommandError(error_code::kInvalidArgs,
                       "args.targets: name at least one app, id, or \"all\"");
  }
  std::vector<Instance*> found;
  std::set<int> seen;
  auto add = [&](Instance* instance) {
    if (seen.insert(instance->id).second) found.push_back(instance);
  };
  for (const auto& target : targets) {
    if (target == "all") {
      for (auto& app : supervisor_.apps()) {
        for (auto& instance : app->instances) add(instance.get());
      }
    } else if (auto id = parse_id(target)) {
      auto* instance = supervisor_.find_instance(*id);
      if (!instance) {
        throw CommandError(error_code::kNotFound,
                           "no process with id " + target + " (see `cxpm ls` for ids)");
      }
      add(instance);
    } else if (auto* app = supervisor_.find_app(target)) {
      for (auto& instance : app->instances) add(instance.get());
    } else {
      std::vector<std::string> known;
      for (auto& candidate : supervisor_.apps()) known.push_back(candidate->spec.name);
      std::string message = "no app named '" + target + "'";
      message += known.empty() ? "; no apps are running (start one with `cxpm start <script>`)"
                               : "; known apps: " + join(known);
      throw CommandError(error_code::kNotFound, message, Json{{"known", known}});
    }
  }
  return found;
}

void Commands::ping(const Request&, const Answer& answer) {
  answer.reply({{"pid", ::getpid()},
                {"version", CXPM_VERSION},
                {"uptime_ms", unix_now_ms() - started_at_ms_}});
}

void Commands::list(const Request&, const Answer& answer) {
  std::vector<int> ids;
  for (auto& app : supervisor_.apps()) {
    for (auto& instance : app->instances) ids.push_back(instance->id);
  }
  answer.reply(report(ids));
}

void Commands::describe(const Request& request, const Answer& answer) {
  const auto targets = targets_of(request);
  answer.reply(report(ids_of(targets), /*with_events=*/true));
}

void Commands::start(const Request& request, const Answer& answer) {
  const ArgsReader args(request.args, "args");
  if (args.has("targets")) {
    const auto instances = targets_of(request);
    auto errors = supervisor_.start(instances);
    if (!errors.empty()) return answer.fail(error_code::kFailed, errors.front());
    return answer.reply(report(ids_of(instances)));
  }

  // Read and check every spec before starting any: a bad entry must change nothing.
  std::vector<AppSpec> specs = app_specs_from_json(args);
  if (specs.empty()) {
    return answer.fail(error_code::kInvalidArgs, "args.apps: give at least one app");
  }
  std::set<std::string> names;
  for (const auto& spec : specs) {
    if (!names.insert(spec.name).second) {
      return answer.fail(error_code::kInvalidArgs,
                         "two apps are named '" + spec.name + "'; names must be unique");
    }
    if (supervisor_.find_app(spec.name)) {
      return answer.fail(error_code::kConflict,
                         "an app named '" + spec.name + "' already exists; use `cxpm restart " +
                             spec.name + "`, or pick another name with --name");
    }
    if (auto problem = daemon_spec_problem(spec)) {
      return answer.fail(error_code::kInvalidArgs, "app '" + spec.name + "': " + *problem);
    }
  }
  std::vector<int> ids;
  std::vector<std::string> added;
  for (auto& spec : specs) {
    const std::string name = spec.name;
    if (auto error = supervisor_.add_app(std::move(spec))) {
      // Undo the apps this request already added, then report.
      std::vector<Instance*> undo;
      for (const auto& added_name : added) {
        if (auto* app = supervisor_.find_app(added_name)) {
          for (auto& instance : app->instances) undo.push_back(instance.get());
        }
      }
      std::string message = "app '" + name + "' " + *error;
      supervisor_.remove(undo, [answer, message] { answer.fail(error_code::kFailed, message); });
      return;
    }
    added.push_back(name);
    for (auto& instance : supervisor_.find_app(name)->instances) ids.push_back(instance->id);
  }
  answer.reply(report(ids));
}

void Commands::stop(const Request& request, const Answer& answer) {
  const auto instances = targets_of(request);
  supervisor_.stop(instances,
                   [this, answer, ids = ids_of(instances)] { answer.reply(report(ids)); });
}

void Commands::restart(const Request& request, const Answer& answer) {
  const ArgsReader args(request.args, "args");
  if (args.has("apps")) return restart_with_specs(request, answer);
  const auto instances = targets_of(request);
  if (args.has("env")) merge_environment(instances, args.string_map("env"));
  supervisor_.restart(instances,
                      [this, answer, ids = ids_of(instances)] { answer.reply(report(ids)); });
}

void Commands::remove(const Request& request, const Answer& answer) {
  const auto instances = targets_of(request);
  Json removed = report(ids_of(instances));
  supervisor_.remove(instances, [answer, removed = std::move(removed)] { answer.reply(removed); });
}

void Commands::reset(const Request& request, const Answer& answer) {
  const auto instances = targets_of(request);
  supervisor_.reset_counters(instances);
  answer.reply(report(ids_of(instances)));
}

void Commands::scale(const Request& request, const Answer& answer) {
  const ArgsReader args(request.args, "args");
  const std::string name = args.string("app");
  App* app = supervisor_.find_app(name);
  if (!app) {
    return answer.fail(error_code::kNotFound, "no app named '" + name + "' to scale");
  }
  const std::string count_text = args.string("count");
  const int current = static_cast<int>(app->instances.size());
  const auto count = scaled_count(count_text, current);
  if (!count) {
    return answer.fail(error_code::kInvalidArgs,
                       "args.count: expected N, +N or -N leaving 1 to 4096 instances (" + name +
                           " has " + std::to_string(current) + "), got '" + count_text + "'");
  }
  supervisor_.scale(*app, *count, [this, answer, name](std::vector<std::string> errors) {
    if (!errors.empty()) {
      return answer.fail(error_code::kFailed, "scaling " + name + ": " + errors.front());
    }
    std::vector<int> ids;
    if (auto* scaled = supervisor_.find_app(name)) {
      for (auto& instance : scaled->instances) ids.push_back(instance->id);
    }
    answer.reply(report(ids));
  });
}

void Commands::reload(const Request& request, const Answer& answer) {
  const ArgsReader args(request.args, "args");
  if (args.integer("parallel", 1) < 1) {
    return answer.fail(error_code::kInvalidArgs, "args.parallel: at least 1");
  }
  if (args.has("apps")) return reload_with_specs(request, answer);
  const auto instances = targets_of(request);
  if (args.has("env")) merge_environment(instances, args.string_map("env"));
  const auto ids = ids_of(instances);
  Reload::run(supervisor_, ids, static_cast<int>(args.integer("parallel", 1)),
              [this, answer, ids](const std::vector<ReloadStep>& steps,
                                  const std::optional<std::string>& error) {
                reply_reloaded(answer, steps, error, ids);
              });
}

void Commands::reload_with_specs(const Request& request, const Answer& answer) {
  auto specs = specs_of_known_apps(request, "reload");
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
  progress->parallel = static_cast<int>(ArgsReader(request.args, "args").integer("parallel", 1));
  progress->next = [this, answer, weak = std::weak_ptr<Progress>(progress)] {
    auto progress = weak.lock();
    if (!progress) return;
    auto finish = [this, answer, progress](const std::vector<ReloadStep>& steps,
                                           const std::optional<std::string>& error) {
      progress->steps.insert(progress->steps.end(), steps.begin(), steps.end());
      if (error || progress->pending.empty()) {
        std::vector<int> ids;
        for (const auto& name : progress->names) {
          if (App* app = supervisor_.find_app(name)) {
            for (auto& instance : app->instances) ids.push_back(instance->id);
          }
        }
        reply_reloaded(answer, progress->steps, error, ids);
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
  Json done = Json::array();
  for (const auto& step : steps) {
    done.push_back({{"name", step.name},
                    {"instance", step.instance},
                    {"id", step.id},
                    {"old_pid", step.old_pid},
                    {"new_pid", step.new_pid},
                    {"ready_ms", step.ready_ms},
                    {"restarted", step.restarted}});
  }
  if (error) return answer.fail(error_code::kFailed, *error, Json{{"reloaded", done}});
  Json result = report(ids);
  result["reloaded"] = std::move(done);
  answer.reply(result);
}

}  // namespace cxpm
