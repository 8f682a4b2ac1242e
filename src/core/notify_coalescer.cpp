#include "cxpm/core/notify_coalescer.hpp"

namespace cxpm {

std::optional<int> NotifyCoalescer::offer(const Key& key, TimePoint now, Milliseconds interval) {
  const auto found = windows_.find(key);
  if (found == windows_.end()) {
    windows_.emplace(key, Window{now + interval, interval, 0});
    return 1;
  }
  Window& window = found->second;
  if (now < window.ends) {
    ++window.counted;
    return std::nullopt;
  }
  // The window ended before anyone took it: what it counted goes out with this one.
  const int count = window.counted + 1;
  window = Window{now + interval, interval, 0};
  return count;
}

std::vector<NotifyCoalescer::Due> NotifyCoalescer::take_due(TimePoint now) {
  std::vector<Due> due;
  for (auto it = windows_.begin(); it != windows_.end();) {
    Window& window = it->second;
    if (now < window.ends) {
      ++it;
      continue;
    }
    if (window.counted == 0) {
      it = windows_.erase(it);
      continue;
    }
    due.push_back({it->first, window.counted});
    window = Window{now + window.interval, window.interval, 0};
    ++it;
  }
  return due;
}

std::optional<TimePoint> NotifyCoalescer::next_due() const {
  std::optional<TimePoint> first;
  for (const auto& [key, window] : windows_) {
    if (!first || window.ends < *first) first = window.ends;
  }
  return first;
}

}  // namespace cxpm
