// The protocol's process methods: ping, list, describe, start, stop, delete, reset, scale and
// kill. Members of Commands.

#include <unistd.h>

#include "cxpm/core/build_info.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/core/instances.hpp"
#include "cxpm/daemon/commands.hpp"
#include "cxpm/daemon/ordered_stop.hpp"
#include "cxpm/daemon/start_sequence.hpp"
#include "cxpm/daemon/state_writer.hpp"

namespace cxpm {

void Commands::ping(const NoArgs&, const Answer& answer) {
  PingResult result{::getpid(), build_description(), unix_now_ms() - started_at_ms_};
  if (keeper_report_) keeper_report_(result);
  answer.reply(result);
}

void Commands::list(const NoArgs&, const Answer& answer) {
  ProcessesResult result = report(ids_of(every_instance()));
  if (const auto* state = supervisor_.state_writer(); state && !state->problem().empty()) {
    result.warnings.push_back(state->problem());
  }
  for (const auto& source : warning_sources_) {
    if (std::string warning = source(); !warning.empty()) result.warnings.push_back(warning);
  }
  answer.reply(result);
}

void Commands::describe(const TargetsArgs& args, const Answer& answer) {
  DescribeResult result;
  for (auto* instance : instances_of(args.targets)) {
    result.processes.push_back(
        {supervisor_.describe(*instance, /*with_events=*/true), instance->app.spec});
  }
  answer.reply(result);
}

void Commands::start(const StartArgs& args, const Answer& answer) {
  if (args.targets) {
    const auto instances = instances_of(*args.targets);
    auto errors = supervisor_.start(instances);
    if (!errors.empty()) return answer.fail(error_code::kFailed, errors.front());
    return answer.reply(report(ids_of(instances)));
  }
  // Every spec is checked before any app starts: a bad entry must change nothing.
  check_specs(args.apps, SpecsName::kNewApps, "start");
  check_dependencies(args.apps);
  std::vector<std::string> added;
  std::vector<std::string> waiting;  // added stopped, started once their dependencies allow
  for (AppSpec spec : args.apps) {
    const std::string name = spec.name;
    const bool waits = spec.autostart && !spec.depends_on.empty();
    if (waits) spec.autostart = false;
    if (auto error = supervisor_.add_app(std::move(spec))) {
      // Undo the apps this request already added, then report.
      std::string message = "app '" + name + "' " + *error;
      supervisor_.remove(instances_of_apps(added),
                         [answer, message] { answer.fail(error_code::kFailed, message); });
      return;
    }
    added.push_back(name);
    if (waits) {
      supervisor_.find_app(name)->spec.autostart = true;
      waiting.push_back(name);
    }
  }
  if (waiting.empty()) return answer.reply(report(ids_of(instances_of_apps(added))));
  supervisor_.changed();  // autostart as given, for state.json
  StartSequence::run(supervisor_, std::move(waiting),
                     [this, answer, added](StartSequenceOutcome outcome) {
                       ProcessesResult result = report(ids_of(instances_of_apps(added)));
                       result.notes = std::move(outcome.notes);
                       result.not_started = std::move(outcome.not_started);
                       answer.reply(result);
                     });
}

void Commands::stop(const TargetsArgs& args, const Answer& answer) {
  const auto instances = instances_of(args.targets);
  stop_dependents_first(supervisor_, instances, StopKind::kStop,
                        [this, answer, ids = ids_of(instances)] { answer.reply(report(ids)); });
}

void Commands::remove(const TargetsArgs& args, const Answer& answer) {
  const auto instances = instances_of(args.targets);
  // Reported as they were: once removed they are gone.
  stop_dependents_first(supervisor_, instances, StopKind::kRemove,
                        [answer, removed = report(ids_of(instances))] { answer.reply(removed); });
}

void Commands::reset(const TargetsArgs& args, const Answer& answer) {
  const auto instances = instances_of(args.targets);
  supervisor_.reset_counters(instances);
  answer.reply(report(ids_of(instances)));
}

void Commands::scale(const ScaleArgs& args, const Answer& answer) {
  App* app = supervisor_.find_app(args.app);
  if (!app) {
    return answer.fail(error_code::kNotFound, "no app named '" + args.app + "' to scale");
  }
  const int current = static_cast<int>(app->instances.size());
  const auto count = scaled_count(args.count, current);
  if (!count) {
    return answer.fail(error_code::kInvalidArgs,
                       "args.count: expected N, +N or -N leaving 1 to 4096 instances (" + args.app +
                           " has " + std::to_string(current) + "), got '" + args.count + "'");
  }
  supervisor_.scale(*app, *count, [this, answer, name = args.app](std::vector<std::string> errors) {
    if (!errors.empty()) {
      return answer.fail(error_code::kFailed, "scaling " + name + ": " + errors.front());
    }
    answer.reply(report(ids_of(instances_of_apps({name}))));
  });
}

void Commands::kill(const NoArgs&, const Answer& answer) {
  stop_everything("kill", [this, answer](std::size_t count) {
    answer.reply(KillResult{static_cast<std::int64_t>(count), ::getpid()});
    shut_down_();
  });
}

}  // namespace cxpm
