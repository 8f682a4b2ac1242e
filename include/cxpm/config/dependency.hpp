#pragma once
// One entry of an app's `depends_on` (docs/dependencies.md): the app it waits for, and what
// it waits for that app to be.

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

enum class DependencyCondition {
  kStarted,    // its processes were started
  kReady,      // online: started and, with wait_ready or health_wait_ready, ready
  kHealthy,    // its health check passed
  kCompleted,  // it ran and exited with code 0 (a one-shot job, autorestart: false)
};

struct Dependency {
  std::string app;
  DependencyCondition condition = DependencyCondition::kReady;
  bool operator==(const Dependency&) const = default;
};

const char* to_string(DependencyCondition condition);

// "started", "ready", "healthy" or "completed"; nullopt otherwise.
std::optional<DependencyCondition> dependency_condition_from(std::string_view text);

// The words a bad condition is refused with: "expected started, ready, healthy or completed,
// got \"soon\"".
std::string bad_condition_problem(std::string_view text);

}  // namespace cxpm
