#include "cxpm/core/retry_backoff.hpp"

#include <algorithm>

namespace cxpm {

Milliseconds RetryBackoff::next(Milliseconds floor) {
  last_ = last_.count() == 0 ? kFirst : std::min(kMost, last_ * 2);
  return std::max(last_, floor);
}

}  // namespace cxpm
