#pragma once
// Where an app stands against a condition another app waits for (`depends_on`,
// docs/dependencies.md), read from its instances as `ls` shows them.

#include <string>

#include "cxpm/config/dependency.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

struct ConditionState {
  enum class Kind { kMet, kPending, kFailed };
  Kind kind = Kind::kPending;
  std::string why;  // pending: what it is now ("launching"); failed: what happened ("errored")
};

// Every instance must meet the condition. Failed means it cannot come without a new start:
// errored, or stopped after its run (for completed: a run that did not exit with 0).
ConditionState condition_state(const App& app, DependencyCondition condition);

}  // namespace cxpm
