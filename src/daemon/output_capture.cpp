#include "cxpm/daemon/output_capture.hpp"

#include <unistd.h>

#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {
namespace {

// Runs `done` once every stream is through, or at the timeout if one is given, whichever is
// first; the other finds it gone.
class Countdown {
 public:
  Countdown(uv_loop_t* loop, std::function<void()> done, int count)
      : done_(std::move(done)), remaining_(count), timer_(loop) {}

  static std::function<void()> arm(const std::shared_ptr<Countdown>& countdown,
                                   std::chrono::milliseconds timeout) {
    if (timeout.count() > 0) {
      countdown->timer_.start(timeout, [countdown] { countdown->finish(); });
    }
    return [countdown] {
      if (--countdown->remaining_ == 0) countdown->finish();
    };
  }

 private:
  void finish() {
    auto done = std::move(done_);
    done_ = nullptr;
    timer_.stop();  // drops the timer's callback, and with it its hold on this
    if (done) done();
  }

  std::function<void()> done_;
  int remaining_;
  Timer timer_;
};

}  // namespace

OutputCapture::OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, OutputSettings settings,
                             LogHub& hub)
    : loop_(loop) {
  const int fds[2] = {out_fd, error_fd};
  for (int i = 0; i < 2; ++i) {
    const bool is_error = i == 1;
    CapturedStream::Settings stream{is_error,
                                    is_error ? settings.targets.error : settings.targets.out,
                                    settings.targets.combined, settings.format, settings.source};
    streams_[i] = std::make_shared<CapturedStream>(loop, UniqueFd(fds[i]), std::move(stream), hub);
    streams_[i]->start();
  }
}

OutputCapture::~OutputCapture() {
  for (auto& stream : streams_) stream->drain(nullptr);
}

void OutputCapture::drain_and_close(std::chrono::milliseconds timeout, std::function<void()> done) {
  auto countdown = std::make_shared<Countdown>(loop_, std::move(done), 2);
  auto one_done = Countdown::arm(countdown, timeout);
  for (auto& stream : streams_) stream->drain(one_done);
}

void OutputCapture::hand_over(std::function<void()> done) {
  auto countdown = std::make_shared<Countdown>(loop_, std::move(done), 2);
  auto one_done = Countdown::arm(countdown, std::chrono::milliseconds(0));
  for (auto& stream : streams_) stream->hand_over(one_done);
}

}  // namespace cxpm
