#pragma once
// Time as the core sees it: milliseconds on a monotonic clock, passed in by the caller,
// so every policy can be tested with a hand-moved clock.

#include <chrono>

namespace cxpm {

using Milliseconds = std::chrono::milliseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Milliseconds>;

}  // namespace cxpm
