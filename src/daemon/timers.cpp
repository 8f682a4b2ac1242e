#include "cxpm/daemon/timers.hpp"

#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {
namespace {

class UvOneShotTimer : public OneShotTimer {
 public:
  explicit UvOneShotTimer(uv_loop_t* loop) : timer_(loop) {}
  void start(Milliseconds delay, std::function<void()> callback) override {
    timer_.start(delay, std::move(callback));
  }
  void stop() override { timer_.stop(); }

 private:
  Timer timer_;
};

}  // namespace

std::unique_ptr<OneShotTimer> UvTimers::one_shot() {
  return std::make_unique<UvOneShotTimer>(loop_);
}

}  // namespace cxpm
