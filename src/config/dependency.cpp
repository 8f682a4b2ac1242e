#include "cxpm/config/dependency.hpp"

#include <fmt/format.h>

namespace cxpm {

const char* to_string(DependencyCondition condition) {
  switch (condition) {
    case DependencyCondition::kStarted:
      return "started";
    case DependencyCondition::kReady:
      return "ready";
    case DependencyCondition::kHealthy:
      return "healthy";
    case DependencyCondition::kCompleted:
      return "completed";
  }
  return "ready";
}

std::optional<DependencyCondition> dependency_condition_from(std::string_view text) {
  for (auto condition : {DependencyCondition::kStarted, DependencyCondition::kReady,
                         DependencyCondition::kHealthy, DependencyCondition::kCompleted}) {
    if (text == to_string(condition)) return condition;
  }
  return std::nullopt;
}

std::string bad_condition_problem(std::string_view text) {
  return fmt::format("expected started, ready, healthy or completed, got \"{}\"", text);
}

}  // namespace cxpm
