#pragma once
// The supervisor's time: the monotonic clock it reads and the one-shot timers it arms (the
// stop timer, restart delays, listen_timeout). Injected, so that its decisions can be tested
// with a clock moved by hand: the daemon's are libuv's (UvTimers); a test's fire when the test
// advances its clock (tests/unit/daemon/).

#include <uv.h>

#include <functional>
#include <memory>

#include "cxpm/core/clock.hpp"

namespace cxpm {

// One pending callback at a time; start() replaces what was armed. The callback may destroy
// the timer's owner.
class OneShotTimer {
 public:
  virtual ~OneShotTimer() = default;
  virtual void start(Milliseconds delay, std::function<void()> callback) = 0;
  virtual void stop() = 0;
};

class Timers {
 public:
  virtual ~Timers() = default;
  virtual TimePoint now() const = 0;
  virtual std::unique_ptr<OneShotTimer> one_shot() = 0;
};

// The real clock (steady_now) and libuv timers on `loop`.
class UvTimers : public Timers {
 public:
  explicit UvTimers(uv_loop_t* loop) : loop_(loop) {}
  TimePoint now() const override { return steady_now(); }
  std::unique_ptr<OneShotTimer> one_shot() override;

 private:
  uv_loop_t* loop_;
};

}  // namespace cxpm
