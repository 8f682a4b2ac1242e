#pragma once
// Time as the core sees it: milliseconds on a monotonic clock, passed in by the caller,
// so every policy can be tested with a hand-moved clock.

#include <chrono>
#include <cstdint>

namespace cxpm {

using Milliseconds = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Milliseconds>;

// The two readings of the real clocks, for the layers that own them (daemon, cli): the
// monotonic one for durations and deadlines, wall time in ms since the epoch for what is
// shown or stored (created_at, event times). core/ itself never calls these.
inline TimePoint steady_now() {
  return std::chrono::time_point_cast<Milliseconds>(std::chrono::steady_clock::now());
}

inline std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<Milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cxpm
