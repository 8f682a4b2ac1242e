#include "cxpm/daemon/dependency_wait.hpp"

#include <fmt/format.h>

namespace cxpm {
namespace {

using Kind = ConditionState::Kind;

bool has_run(const Instance& instance) {
  return instance.exit_code.has_value() || instance.exit_signal.has_value() ||
         instance.restarts > 0;
}

std::string exit_words(const Instance& instance) {
  if (instance.exit_signal) return fmt::format("was killed by signal {}", *instance.exit_signal);
  if (instance.exit_code) return fmt::format("exited with code {}", *instance.exit_code);
  return "stopped";
}

// One instance against the condition.
ConditionState instance_state(const Instance& instance, DependencyCondition condition) {
  const Status status = instance.status;
  if (status == Status::kErrored) return {Kind::kFailed, "errored"};
  const bool ended = status == Status::kStopped && has_run(instance);
  switch (condition) {
    case DependencyCondition::kStarted:
      if (is_running(status) || has_run(instance)) return {Kind::kMet, ""};
      break;
    case DependencyCondition::kReady:
      if (status == Status::kOnline) return {Kind::kMet, ""};
      if (ended) return {Kind::kFailed, exit_words(instance) + " and is not restarted"};
      break;
    case DependencyCondition::kHealthy:
      if (status == Status::kOnline && !instance.health_failing && instance.health == "passing") {
        return {Kind::kMet, ""};
      }
      if (ended) return {Kind::kFailed, exit_words(instance) + " and is not restarted"};
      if (status == Status::kOnline) {
        return {Kind::kPending,
                instance.health.empty() ? "online, not yet checked" : "health " + instance.health};
      }
      break;
    case DependencyCondition::kCompleted:
      if (ended && instance.exit_code == 0 && !instance.exit_signal) return {Kind::kMet, ""};
      if (ended) return {Kind::kFailed, exit_words(instance)};
      break;
  }
  return {Kind::kPending, std::string(to_string(status))};
}

}  // namespace

ConditionState condition_state(const App& app, DependencyCondition condition) {
  ConditionState pending{Kind::kMet, ""};
  for (const auto& instance : app.instances) {
    ConditionState state = instance_state(*instance, condition);
    if (app.instances.size() > 1 && state.kind != Kind::kMet) {
      state.why = fmt::format("instance {} {}", instance->index, state.why);
    }
    if (state.kind == Kind::kFailed) return state;
    if (state.kind == Kind::kPending && pending.kind == Kind::kMet) pending = std::move(state);
  }
  if (app.instances.empty()) return {Kind::kPending, "has no instances"};
  return pending;
}

}  // namespace cxpm
