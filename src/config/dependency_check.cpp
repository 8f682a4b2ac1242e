#include "cxpm/config/dependency_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cxpm/config/health_check.hpp"
#include "cxpm/core/dependency_graph.hpp"

namespace cxpm {

std::vector<DependencyProblem> dependency_problems(const std::vector<AppSpec>& apps,
                                                   const OtherApps& others,
                                                   const std::string& missing_where) {
  std::vector<DependencyProblem> problems;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < apps.size(); ++i) index.emplace(apps[i].name, i);
  std::vector<DependencyNode> nodes;
  for (std::size_t i = 0; i < apps.size(); ++i) {
    DependencyNode node{apps[i].name, {}};
    for (std::size_t d = 0; d < apps[i].depends_on.size(); ++d) {
      const Dependency& dependency = apps[i].depends_on[d];
      const auto found = index.find(dependency.app);
      const AppSpec* target = found != index.end() ? &apps[found->second]
                              : others             ? others(dependency.app)
                                                   : nullptr;
      if (!target) {
        problems.push_back(
            {i, d, fmt::format("depends_on: no app named '{}' {}", dependency.app, missing_where)});
        continue;
      }
      if (dependency.condition == DependencyCondition::kHealthy &&
          health_kind(*target) == HealthKind::kNone) {
        problems.push_back(
            {i, d,
             fmt::format("depends_on: '{0}' has no health check, so it is never healthy (give "
                         "{0} a health_check, or wait for condition ready)",
                         dependency.app)});
      }
      node.depends_on.push_back(dependency.app);
    }
    nodes.push_back(std::move(node));
  }
  const auto cycle = find_dependency_cycle(nodes);
  if (!cycle.empty()) {
    // Reported at the first edge of the cycle, where a reader starts following it.
    const std::size_t app = index.at(cycle[0]);
    const auto& list = apps[app].depends_on;
    const auto edge = std::find_if(list.begin(), list.end(),
                                   [&](const Dependency& d) { return d.app == cycle[1]; });
    problems.push_back({app, static_cast<std::size_t>(edge - list.begin()),
                        fmt::format("depends_on: a cycle: {}", cycle_text(cycle))});
  }
  return problems;
}

}  // namespace cxpm
