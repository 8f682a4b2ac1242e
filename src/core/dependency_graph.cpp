#include "cxpm/core/dependency_graph.hpp"

#include <algorithm>
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
  // Depth-first without recursion (a file or request may chain thousands of apps): the stack
  // holds the nodes being visited, each with the next of its edges to follow, so an edge back
  // into it closes a cycle.
  std::vector<std::pair<std::size_t, std::size_t>> stack;
  for (std::size_t start = 0; start < nodes.size(); ++start) {
    if (marks[start] != Mark::kNew) continue;
    marks[start] = Mark::kOnPath;
    stack.push_back({start, 0});
    while (!stack.empty()) {
      const std::size_t node = stack.back().first;
      if (stack.back().second == edges[node].size()) {
        marks[node] = Mark::kDone;
        stack.pop_back();
        continue;
      }
      const std::size_t next = edges[node][stack.back().second++];
      if (marks[next] == Mark::kOnPath) {
        std::vector<std::string> cycle;
        const auto from = std::find_if(stack.begin(), stack.end(),
                                       [next](const auto& entry) { return entry.first == next; });
        for (auto it = from; it != stack.end(); ++it) cycle.push_back(nodes[it->first].name);
        cycle.push_back(nodes[next].name);
        return cycle;
      }
      if (marks[next] == Mark::kNew) {
        marks[next] = Mark::kOnPath;
        stack.push_back({next, 0});
      }
    }
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
  // A node's wave is one past the latest wave of the nodes it waits for; found in the order
  // nodes become free (Kahn's), without recursion, however long the chains.
  std::vector<std::vector<std::size_t>> waiters(nodes.size());
  std::vector<std::size_t> waiting_on(nodes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    waiting_on[i] = edges[i].size();
    for (std::size_t before : edges[i]) waiters[before].push_back(i);
  }
  std::vector<std::size_t> wave(nodes.size(), 0);
  std::vector<std::size_t> free;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (waiting_on[i] == 0) free.push_back(i);
  }
  while (!free.empty()) {
    const std::size_t node = free.back();
    free.pop_back();
    for (std::size_t waiter : waiters[node]) {
      wave[waiter] = std::max(wave[waiter], wave[node] + 1);
      if (--waiting_on[waiter] == 0) free.push_back(waiter);
    }
  }
  std::vector<std::vector<std::size_t>> waves;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (waves.size() <= wave[i]) waves.resize(wave[i] + 1);
    waves[wave[i]].push_back(i);
  }
  return waves;
}

}  // namespace cxpm
