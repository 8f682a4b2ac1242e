#include "cxpm/core/instances.hpp"

#include <algorithm>

namespace cxpm {

int resolve_instance_count(int requested, int cpu_count) {
  const int count = requested > 0 ? requested : cpu_count + requested;
  return std::max(1, count);
}

int lowest_free_index(std::span<const int> used) {
  int index = 0;
  while (std::ranges::find(used, index) != used.end()) ++index;
  return index;
}

}  // namespace cxpm
