#pragma once
// How soon the keeper starts a new daemon after one died. At once, unless daemons keep dying
// within kShortLife of their start (a crash at start-up): then 100 ms, doubling to 10 s. It
// never gives up: the apps it holds need a daemon.

#include "cxpm/core/clock.hpp"

namespace cxpm {

class DaemonBackoff {
 public:
  static constexpr Milliseconds kShortLife{1000};
  static constexpr Milliseconds kFirst{100};
  static constexpr Milliseconds kMost{10000};

  // The wait before starting the next daemon, given how long the one that died lived.
  Milliseconds after_death(Milliseconds lived);

 private:
  Milliseconds last_{0};
};

}  // namespace cxpm
