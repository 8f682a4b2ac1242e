#include "cxpm/core/reuseport_order.hpp"

#include <algorithm>

namespace cxpm {

void ReuseportOrder::joined(int member) {
  if (!index_of(member)) members_.push_back(member);
}

void ReuseportOrder::left(int member) {
  const auto found = std::ranges::find(members_, member);
  if (found == members_.end()) return;
  *found = members_.back();
  members_.pop_back();
}

std::optional<std::uint32_t> ReuseportOrder::index_of(int member) const {
  const auto found = std::ranges::find(members_, member);
  if (found == members_.end()) return std::nullopt;
  return static_cast<std::uint32_t>(found - members_.begin());
}

}  // namespace cxpm
