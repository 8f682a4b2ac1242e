#include "cxpm/daemon/captured_stream.hpp"

#include <fcntl.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "cxpm/sys/pipe_peek.hpp"

namespace cxpm {
namespace {

// What drain reads at most: far more than a pipe holds, but a leftover child that keeps
// writing cannot keep the stream in it forever.
constexpr std::size_t kMaxDrainBytes = 16 * 1024 * 1024;
// A batch buffer grown by a huge line is given back rather than kept.
constexpr std::size_t kBatchKept = 256 * 1024;
// A stream that takes this much within kChattyWindowMs is chatty (about 1 MB/s and up).
constexpr std::size_t kChattyBytes = 256 * 1024;
constexpr std::uint64_t kChattyWindowMs = 250;
// A chatty stream's pipe: big enough that the app does not fill it while the daemon rests.
// Only chatty ones grow: an unprivileged user's pipes share a budget (pipe-user-pages-soft,
// 64 MiB by default), and a pipe that cannot grow simply never rests.
constexpr int kChattyPipeBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kRest{1};

// Every stream peeks on the loop thread, one round at a time: one private pipe and buffer
// serve them all, and so does one buffer for the lines formatted from a round.
PipePeek& peeker() {
  static PipePeek peek;
  return peek;
}
std::string shared_batch;

// One round's bytes, written by every file the stream writes to: the last file to write them
// takes them out of the pipe, on its worker thread right after its write.
class RoundReceipt final : public AppendReceipt {
 public:
  RoundReceipt(std::shared_ptr<CapturedStream> stream, int fd, std::size_t taken, int files)
      : stream_(std::move(stream)), fd_(fd), taken_(taken), to_write_(files), to_settle_(files) {}

  void written() override {
    if (to_write_.fetch_sub(1) == 1 && taken_ > 0) discard_from_pipe(fd_, taken_);
  }
  void settled() override {
    if (--to_settle_ == 0) stream_->settled();
  }

 private:
  std::shared_ptr<CapturedStream> stream_;  // and with it the pipe, until the bytes are taken
  int fd_;
  std::size_t taken_;
  std::atomic<int> to_write_;
  int to_settle_;  // loop thread only
};

}  // namespace

void prepare_pipe_peek() {
  peeker();
}

CapturedStream::CapturedStream(uv_loop_t* loop, UniqueFd fd, Settings settings, LogHub& hub)
    : loop_(loop), fd_(std::move(fd)), settings_(std::move(settings)), hub_(hub) {
  formatter_ = LineFormatter(settings_.format, settings_.source, settings_.is_error);
  const int flags = ::fcntl(fd_.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, flags | O_NONBLOCK) != 0 ||
      uv_poll_init(loop_, poll_.get(), fd_.get()) != 0) {
    mode_ = Mode::kClosed;
    fd_.reset();
    return;
  }
  poll_.mark_initialized();
  poll_.get()->data = this;
}

CapturedStream::~CapturedStream() = default;

void CapturedStream::start() {
  next();
}

void CapturedStream::poll_start() {
  if (polling_ || mode_ != Mode::kRunning) return;
  polling_ = true;
  uv_poll_start(poll_.get(), UV_READABLE | UV_DISCONNECT,
                [](uv_poll_t* handle, int status, int events) {
                  auto* stream = static_cast<CapturedStream*>(handle->data);
                  stream->on_readable(status < 0 || (events & UV_DISCONNECT) != 0);
                });
}

void CapturedStream::poll_stop() {
  if (!polling_) return;
  polling_ = false;
  uv_poll_stop(poll_.get());
}

void CapturedStream::on_readable(bool hung_up) {
  hung_up_ = hung_up_ || hung_up;
  round();
}

bool CapturedStream::congested() const {
  for (const auto* file : {&settings_.file, &settings_.combined}) {
    if (*file && (*file)->congested()) return true;
  }
  return false;
}

void CapturedStream::next() {
  if (in_flight_ || mode_ == Mode::kClosed) return;
  if (mode_ == Mode::kDraining) return drain_round();
  if (mode_ == Mode::kHandingOver) {
    // A partial line held in memory would die with this daemon: it is written as a line.
    if (lines_.has_partial()) {
      take({}, 0, true);
      if (in_flight_) return;
    }
    close();
    return finish(done_);
  }
  if (ended_ || paused_ || (wait_timer_ && wait_timer_->active())) return;
  for (const auto* file : {&settings_.file, &settings_.combined}) {
    if (!*file || !(*file)->congested()) continue;
    paused_ = true;
    poll_stop();
    (*file)->when_uncongested([weak = weak_from_this()] {
      if (auto stream = weak.lock()) {
        stream->paused_ = false;
        stream->next();  // the other file may still be congested
      }
    });
    return;
  }
  poll_start();
}

void CapturedStream::round() {
  const Peeked peeked = peeker().peek(fd_.get());
  if (peeked.end || peeked.error != 0) {
    // The app and every child holding the pipe are gone (or the pipe is unusable).
    ended_ = true;
    poll_stop();
    if (lines_.has_partial()) take({}, 0, true);
    return;
  }
  const std::string_view bytes = peeked.bytes;
  if (bytes.empty()) return;  // nothing after all; the poll goes on
  // No writer left and all of it seen: what follows the last newline is the last line.
  const bool last_words = hung_up_ && bytes.size() < peeker().capacity();
  const auto newline = bytes.rfind('\n');
  if (newline == std::string_view::npos) {
    const bool waited = partial_since_ms_ != 0 &&
                        uv_now(loop_) - partial_since_ms_ >= std::uint64_t(kHoldAfter.count());
    const bool longer_than_a_peek = bytes.size() >= peeker().capacity();
    if (!last_words && !waited && !longer_than_a_peek && !lines_.has_partial()) {
      return wait_for_newline(bytes.size());
    }
    partial_since_ms_ = 0;
    return take(bytes, bytes.size(), last_words);
  }
  partial_since_ms_ = 0;
  if (last_words) return take(bytes, bytes.size(), true);
  take(bytes.substr(0, newline + 1), newline + 1, false);
}

void CapturedStream::wait_for_newline(std::size_t seen) {
  poll_stop();
  if (partial_since_ms_ == 0) partial_since_ms_ = uv_now(loop_);
  if (!wait_timer_) wait_timer_ = std::make_unique<Timer>(loop_);
  wait_timer_->start(kPartialCheck, [this, seen] {
    const bool waited = uv_now(loop_) - partial_since_ms_ >= std::uint64_t(kHoldAfter.count());
    const ssize_t buffered = pipe_buffered(fd_.get());
    if (!waited && buffered == static_cast<ssize_t>(seen)) return wait_for_newline(seen);
    round();
    next();
  });
}

void CapturedStream::take(std::string_view bytes, std::size_t taken, bool flush) {
  const std::int64_t now = wall_clock_ms();
  formatter_.start_batch(now);
  const bool live = hub_.wants(settings_.source, settings_.is_error);
  std::uint64_t lines = static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
  if (flush && !bytes.empty() && bytes.back() != '\n') ++lines;
  hub_.count_written(settings_.source, settings_.is_error, lines, taken);
  std::vector<std::string> published;
  std::string& batch = shared_batch;
  auto on_line = [&](std::string_view line) {
    formatter_.append(batch, line);
    if (live) published.emplace_back(line.substr(0, LogHub::kMaxStreamedLine));
  };
  const int files = (settings_.file ? 1 : 0) + (settings_.combined ? 1 : 0);
  std::shared_ptr<AppendReceipt> receipt;
  if (files > 0)
    receipt = std::make_shared<RoundReceipt>(shared_from_this(), fd_.get(), taken, files);
  auto write = [&](std::string_view piece, bool last) {
    for (const auto* file : {&settings_.file, &settings_.combined}) {
      if (*file) (*file)->append(piece, last ? receipt : nullptr);
    }
  };
  // Lines that go to the file as they came are handed over as one block, not line by line:
  // the whole lines between the first and the last newline.
  if (formatter_.verbatim() && !live) {
    const auto first = bytes.find('\n');
    const auto last = bytes.rfind('\n');
    if (first != last) {
      lines_.feed(bytes.substr(0, first + 1), on_line);
      write(batch, false);
      batch.clear();
      write(bytes.substr(first + 1, last - first), false);
      bytes.remove_prefix(last + 1);
    }
  }
  lines_.feed(bytes, on_line);
  if (flush) lines_.flush(on_line);
  write(batch, true);
  batch.clear();
  if (batch.capacity() > kBatchKept) batch = std::string();
  if (live && !published.empty()) {
    hub_.publish(settings_.source, settings_.is_error, now, std::move(published));
  }
  if (receipt) {
    in_flight_ = true;
    poll_stop();
  } else if (taken > 0) {
    discard_from_pipe(fd_.get(), taken);  // no file to wait for
  }
  // Last: growing or shrinking the peek's buffer frees the one `bytes` points into.
  notice_rate(taken);
  peeker().done_with_peek();
}

void CapturedStream::settled() {
  in_flight_ = false;
  if (mode_ == Mode::kRunning && chatty_ && !ended_) {
    if (!wait_timer_) wait_timer_ = std::make_unique<Timer>(loop_);
    wait_timer_->start(kRest, [this] { next(); });
    return;
  }
  next();
}

void CapturedStream::notice_rate(std::size_t bytes) {
  if (chatty_ || cannot_grow_) return;
  const std::uint64_t now = uv_now(loop_);
  if (now - window_start_ms_ > kChattyWindowMs) {
    window_start_ms_ = now;
    window_bytes_ = 0;
  }
  window_bytes_ += bytes;
  if (window_bytes_ < kChattyBytes) return;
  // Asked once: a pipe the user's budget refuses is not asked again on every round.
  chatty_ = ::fcntl(fd_.get(), F_SETPIPE_SZ, kChattyPipeBytes) >= kChattyPipeBytes;
  cannot_grow_ = !chatty_;
  if (chatty_) peeker().grow(kChattyPipeBytes);
}

void CapturedStream::drain(Done done) {
  if (mode_ != Mode::kRunning) return also_when_done(std::move(done));
  mode_ = Mode::kDraining;
  done_ = std::move(done);
  if (wait_timer_) wait_timer_->stop();
  poll_stop();
  next();
}

void CapturedStream::drain_round() {
  while (!in_flight_ && mode_ == Mode::kDraining) {
    Peeked peeked{{}, true, 0};
    if (!ended_ && drained_bytes_ < kMaxDrainBytes) peeked = peeker().peek(fd_.get());
    if (peeked.bytes.empty()) {
      ended_ = true;  // nothing more is peeked: a flush below ends the drain when written
      if (lines_.has_partial()) {
        take({}, 0, true);
        continue;
      }
      close();
      return finish(done_);
    }
    const std::string_view bytes = peeked.bytes;
    const auto newline = bytes.rfind('\n');
    if (bytes.size() < peeker().capacity()) {
      take(bytes, bytes.size(), true);  // all of it, the partial last line too
    } else if (newline == std::string_view::npos) {
      take(bytes, bytes.size(), false);  // a line longer than a peek: held, it goes on
    } else {
      take(bytes.substr(0, newline + 1), newline + 1, false);
    }
    drained_bytes_ += bytes.size();
  }
}

void CapturedStream::hand_over(Done done) {
  if (mode_ != Mode::kRunning) return also_when_done(std::move(done));
  mode_ = Mode::kHandingOver;
  done_ = std::move(done);
  if (wait_timer_) wait_timer_->stop();
  poll_stop();
  next();
}

void CapturedStream::also_when_done(Done done) {
  if (!done) return;
  if (mode_ == Mode::kClosed) return done();
  done_ = [earlier = std::move(done_), done = std::move(done)] {
    if (earlier) earlier();
    done();
  };
}

void CapturedStream::close() {
  mode_ = Mode::kClosed;
  poll_stop();
  poll_.close();
  wait_timer_.reset();
  fd_.reset();
}

void CapturedStream::finish(Done& done) {
  auto call = std::move(done);
  done = nullptr;
  if (call) call();
}

}  // namespace cxpm
