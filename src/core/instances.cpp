#include "cxpm/core/instances.hpp"

#include <algorithm>
#include <charconv>

#include "cxpm/core/parse_number.hpp"

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

std::optional<int> scaled_count(std::string_view request, int current) {
  int sign = 0;
  if (request.starts_with('+')) sign = 1;
  if (request.starts_with('-')) sign = -1;
  if (sign != 0) request.remove_prefix(1);
  const std::optional<int> value = parse_whole<int>(request);
  if (!value) return std::nullopt;
  const long count = sign == 0 ? *value : static_cast<long>(current) + sign * *value;
  if (count < 1 || count > 4096) return std::nullopt;
  return static_cast<int>(count);
}

}  // namespace cxpm
