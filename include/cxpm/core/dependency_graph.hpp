#pragma once
// The order between apps that depend on each other (`depends_on`, docs/dependencies.md): the
// cycle that makes an order impossible, and the waves apps start and stop in. Pure: the
// loader refuses a cycle with it, the daemon stops dependents before what they depend on.

#include <cstddef>
#include <string>
#include <vector>

namespace cxpm {

struct DependencyNode {
  std::string name;
  std::vector<std::string> depends_on;  // names; those not among the nodes are ignored
};

// A cycle as the names along it, the first again at the end ({"a", "b", "a"}; an app that
// depends on itself: {"a", "a"}); empty when there is none. The first cycle met walking the
// nodes in order, so the same file always names the same cycle.
std::vector<std::string> find_dependency_cycle(const std::vector<DependencyNode>& nodes);

// "a → b → a".
std::string cycle_text(const std::vector<std::string>& cycle);

// The nodes' indexes in waves: each node in a later wave than everything it depends on
// (start order), or with `dependents_first`, in a later wave than everything that depends on
// it (stop order). Within a wave the nodes keep their order. The nodes must have no cycle.
std::vector<std::vector<std::size_t>> dependency_waves(const std::vector<DependencyNode>& nodes,
                                                       bool dependents_first = false);

}  // namespace cxpm
