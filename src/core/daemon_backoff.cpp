#include "cxpm/core/daemon_backoff.hpp"

#include <algorithm>

namespace cxpm {

Milliseconds DaemonBackoff::after_death(Milliseconds lived) {
  if (lived >= kShortLife) {
    last_ = Milliseconds{0};
    return last_;
  }
  last_ = last_.count() == 0 ? kFirst : std::min(last_ * 2, kMost);
  return last_;
}

}  // namespace cxpm
