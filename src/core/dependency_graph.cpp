#include "cxpm/core/dependency_graph.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

namespace cxpm {
namespace {

// Each node's edges as indexes, to nodes that exist.
std::vector<std::vector<std::size_t>> edges_of(const std::vector<DependencyNode>& nodes) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].name, i);
  std::vector<std::vector<std::size_t>> edges(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& name : nodes[i].depends_on) {
      if (auto found = index.find(name); found != index.end()) edges[i].push_back(found->second);
    }
  }
  return edges;
}

enum class Mark { kNew, kOnPath, kDone };

}  // namespace

std::vector<std::string> find_dependency_cycle(const std::vector<DependencyNode>& nodes) {
  const auto edges = edges_of(nodes);
  std::vector<Mark> marks(nodes.size(), Mark::kNew);
  std::vector<std::size_t> path;
  std::vector<std::string> cycle;
  // Depth-first; the path holds the nodes being visited, so an edge back into it closes a
  // cycle. Depth is bounded by the number of apps in one request or file.
  std::function<bool(std::size_t)> visit = [&](std::size_t node) {
    marks[node] = Mark::kOnPath;
    path.push_back(node);
    for (std::size_t next : edges[node]) {
      if (marks[next] == Mark::kOnPath) {
        const auto from = std::find(path.begin(), path.end(), next);
        for (auto it = from; it != path.end(); ++it) cycle.push_back(nodes[*it].name);
        cycle.push_back(nodes[next].name);
        return true;
      }
      if (marks[next] == Mark::kNew && visit(next)) return true;
    }
    path.pop_back();
    marks[node] = Mark::kDone;
    return false;
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (marks[i] == Mark::kNew && visit(i)) return cycle;
  }
  return {};
}

std::string cycle_text(const std::vector<std::string>& cycle) {
  std::string text;
  for (const auto& name : cycle) text += (text.empty() ? "" : " → ") + name;
  return text;
}

std::vector<std::vector<std::size_t>> dependency_waves(const std::vector<DependencyNode>& nodes,
                                                       bool dependents_first) {
  if (!find_dependency_cycle(nodes).empty()) {
    throw std::logic_error("dependency_waves: the apps' dependencies have a cycle");
  }
  auto edges = edges_of(nodes);
  if (dependents_first) {
    // Reversed: a node then waits for the nodes that depend on it.
    std::vector<std::vector<std::size_t>> reversed(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      for (std::size_t to : edges[i]) reversed[to].push_back(i);
    }
    edges = std::move(reversed);
  }
  // A node's wave is one past the latest wave of the nodes it waits for.
  constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);
  std::vector<std::size_t> wave(nodes.size(), kUnknown);
  std::function<std::size_t(std::size_t)> wave_of = [&](std::size_t node) {
    if (wave[node] != kUnknown) return wave[node];
    std::size_t latest = 0;
    for (std::size_t before : edges[node]) latest = std::max(latest, wave_of(before) + 1);
    return wave[node] = latest;
  };
  std::vector<std::vector<std::size_t>> waves;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::size_t at = wave_of(i);
    if (waves.size() <= at) waves.resize(at + 1);
    waves[at].push_back(i);
  }
  return waves;
}

}  // namespace cxpm
