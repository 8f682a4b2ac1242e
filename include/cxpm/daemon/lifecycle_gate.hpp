#pragma once
// The daemon's side of LifecycleQueue (core/lifecycle_queue.hpp): runs each lifecycle
// operation when its apps are free, refuses one that waited past its deadline with a `busy`
// answer naming what holds its app, and after `close` (kill, SIGTERM) refuses all that wait.
//
// A running operation holds its apps through a Hold: they are free again once it calls
// release(), or once its last copy is gone, so a continuation that is dropped (an instance
// forgotten with callbacks pending) can never wedge an app for good.

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cxpm/core/lifecycle_queue.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {

class LifecycleGate {
  struct State;
  struct Slot;

 public:
  class Hold {
   public:
    Hold() = default;  // holds nothing
    void release() const;
    bool holds() const { return slot_ != nullptr; }

   private:
    friend class LifecycleGate;
    explicit Hold(std::shared_ptr<Slot> slot) : slot_(std::move(slot)) {}
    std::shared_ptr<Slot> slot_;
  };
  using Run = std::function<void(Hold)>;
  // Told why an operation will not run: error_code::kBusy, or kFailed once the gate is closed.
  using Refuse =
      std::function<void(std::string_view code, const std::string& message, Json details)>;

  explicit LifecycleGate(uv_loop_t* loop);
  ~LifecycleGate();
  LifecycleGate(const LifecycleGate&) = delete;
  LifecycleGate& operator=(const LifecycleGate&) = delete;

  // Runs `run` (perhaps at once) when no operation queued before it touches `scope`; refuses
  // it if that takes longer than `max_wait`.
  void submit(std::string verb, AppScope scope, Milliseconds max_wait, Run run, Refuse refuse);
  // For restarts for outside reasons: runs `run` now and returns true when nothing is running
  // or queued on `scope`; otherwise does nothing and returns false.
  bool run_if_idle(std::string verb, AppScope scope, const Run& run);
  // From now on nothing new runs: waiting operations are refused with `why`, and so is every
  // later one. Running operations go on to their end.
  void close(const std::string& why);

 private:
  std::shared_ptr<State> state_;
};

}  // namespace cxpm
