#pragma once
// How long to wait before trying again a start that failed for a passing reason (too many open
// files, no process slots): such a failure says nothing about the app, so it is not a crash
// the restart policy counts, and it is retried for as long as it lasts, ever more slowly.

#include "cxpm/core/clock.hpp"

namespace cxpm {

class RetryBackoff {
 public:
  static constexpr Milliseconds kFirst{100};
  static constexpr Milliseconds kMost{15000};

  // The wait before the next try: kFirst, doubling up to kMost; never shorter than `floor`
  // (the app's restart_delay).
  Milliseconds next(Milliseconds floor);
  // A start succeeded, or someone asked for one: the next failure waits kFirst again.
  void reset() { last_ = Milliseconds{0}; }

 private:
  Milliseconds last_{0};
};

}  // namespace cxpm
