#include "cxpm/daemon/output_capture.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace cxpm {
namespace {

// What drain_and_close reads at most: far more than a pipe holds, but a leftover child that
// keeps writing cannot keep the loop in it forever.
constexpr std::size_t kMaxDrainBytes = 16 * 1024 * 1024;
// A batch buffer grown by a huge line is given back rather than kept.
constexpr std::size_t kBatchKept = 256 * 1024;

// Every capture reads on the loop thread, one read at a time: one buffer serves them all,
// and so does one buffer for the lines formatted from a read.
std::array<char, 256 * 1024> read_buffer;
std::string shared_batch;
// A stream that reads this much within kChattyWindowMs is chatty (about 1 MB/s and up).
constexpr std::size_t kChattyBytes = 256 * 1024;
constexpr std::uint64_t kChattyWindowMs = 250;
// A chatty stream's pipe: big enough that the app does not fill it while the daemon rests.
// Only chatty ones grow: an unprivileged user's pipes share a budget (pipe-user-pages-soft,
// 64 MiB by default), and a pipe that cannot grow simply never rests.
constexpr int kChattyPipeBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kRest{1};

}  // namespace

OutputCapture::OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, OutputSettings settings,
                             LogHub& hub)
    : loop_(loop),
      targets_(std::move(settings.targets)),
      source_(std::move(settings.source)),
      hub_(hub),
      batch_(shared_batch) {
  const int fds[2] = {out_fd, error_fd};
  for (int i = 0; i < 2; ++i) {
    Stream& stream = streams_[i];
    stream.owner = this;
    stream.is_error = i == 1;
    stream.formatter = LineFormatter(settings.format, source_, stream.is_error);
    uv_pipe_init(loop, stream.pipe.get(), 0);
    stream.pipe.mark_initialized();
    stream.pipe.get()->data = &stream;
    start(stream, fds[i]);
  }
}

OutputCapture::~OutputCapture() {
  drain_and_close();
}

void OutputCapture::start(Stream& stream, int fd) {
  if (uv_pipe_open(stream.pipe.get(), fd) != 0) {
    ::close(fd);
    return;
  }
  stream.open = true;
  read_start(stream);
}

void OutputCapture::read_start(Stream& stream) {
  uv_read_start(
      stream.pipe.stream(),
      [](uv_handle_t*, size_t, uv_buf_t* buf) {
        *buf = uv_buf_init(read_buffer.data(), read_buffer.size());
      },
      [](uv_stream_t* pipe, ssize_t nread, const uv_buf_t* buf) {
        auto* stream = static_cast<Stream*>(pipe->data);
        if (nread > 0) {
          OutputCapture& owner = *stream->owner;
          owner.notice_rate(*stream, static_cast<std::size_t>(nread));
          owner.consume(*stream, {buf->base, static_cast<std::size_t>(nread)}, false);
          owner.pause_if_congested(*stream);
          if (stream->chatty && !stream->paused) owner.rest(*stream);
        } else if (nread < 0) {
          // EOF or error: the app (and every child holding the pipe) is gone.
          uv_read_stop(pipe);
          stream->owner->consume(*stream, {}, true);
        }
      });
}

void OutputCapture::notice_rate(Stream& stream, std::size_t read_bytes) {
  if (stream.chatty || stream.cannot_grow) return;
  const std::uint64_t now = uv_now(loop_);
  if (now - stream.window_start_ms > kChattyWindowMs) {
    stream.window_start_ms = now;
    stream.window_bytes = 0;
  }
  stream.window_bytes += read_bytes;
  if (stream.window_bytes < kChattyBytes) return;
  uv_os_fd_t fd = -1;
  if (uv_fileno(stream.pipe.base(), &fd) != 0) return;
  // Asked once: a pipe the user's budget refuses is not asked again on every read.
  stream.chatty = ::fcntl(fd, F_SETPIPE_SZ, kChattyPipeBytes) >= kChattyPipeBytes;
  stream.cannot_grow = !stream.chatty;
}

void OutputCapture::rest(Stream& stream) {
  if (stream.resting) return;
  uv_read_stop(stream.pipe.stream());
  stream.resting = true;
  if (!rest_timer_) rest_timer_ = std::make_unique<Timer>(loop_);
  if (rest_timer_->active()) return;  // the other stream rests: both end together
  rest_timer_->start(kRest, [this] {
    for (auto& resting : streams_) {
      if (!resting.resting) continue;
      resting.resting = false;
      if (resting.open && !resting.paused) read_start(resting);
    }
  });
}

void OutputCapture::pause_if_congested(Stream& stream) {
  if (stream.paused || !stream.open) return;
  for (const auto* file :
       {&(stream.is_error ? targets_.error : targets_.out), &targets_.combined}) {
    if (!*file || !(*file)->congested()) continue;
    uv_read_stop(stream.pipe.stream());
    stream.paused = true;
    (*file)->when_uncongested([life = std::weak_ptr<int>(life_), &stream] {
      if (auto alive = life.lock()) stream.owner->resume(stream);
    });
    return;
  }
}

void OutputCapture::resume(Stream& stream) {
  if (!stream.paused || !stream.open) return;
  stream.paused = false;
  if (stream.resting) return;  // the rest's end starts reading
  read_start(stream);
  pause_if_congested(stream);  // the other file may still be congested
}

void OutputCapture::consume(Stream& stream, std::string_view bytes, bool at_end) {
  const std::int64_t now = wall_clock_ms();
  stream.formatter.start_batch(now);
  const bool live = hub_.wants(source_, stream.is_error);
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line) {
    stream.formatter.append(batch_, line);
    if (live) lines.emplace_back(line.substr(0, LogHub::kMaxStreamedLine));
  };
  // Lines that go to the file as they came are handed over as one block, not line by line:
  // the whole lines between the first and the last newline of what was read.
  std::string_view block;
  if (stream.formatter.verbatim() && !live) {
    const auto first = bytes.find('\n');
    const auto last = bytes.rfind('\n');
    if (first != last) {
      block = bytes.substr(first + 1, last - first);
      stream.lines.feed(bytes.substr(0, first + 1), on_line);
      bytes.remove_prefix(last + 1);
    }
  }
  const auto& file = stream.is_error ? targets_.error : targets_.out;
  auto write = [&](std::string_view lines_read) {
    if (file) file->append(lines_read);
    if (targets_.combined) targets_.combined->append(lines_read);
  };
  write(batch_);
  batch_.clear();
  write(block);
  stream.lines.feed(bytes, on_line);
  if (at_end) stream.lines.flush(on_line);
  write(batch_);
  batch_.clear();
  if (batch_.capacity() > kBatchKept) batch_ = std::string();
  if (live && !lines.empty()) hub_.publish(source_, stream.is_error, now, std::move(lines));
}

void OutputCapture::drain(Stream& stream) {
  if (!stream.open) return;
  stream.resting = false;  // the rest timer, if it runs, now passes this stream by
  uv_os_fd_t fd = -1;
  if (uv_fileno(stream.pipe.base(), &fd) == 0) {
    std::size_t drained = 0;
    while (drained < kMaxDrainBytes) {
      const ssize_t got = ::read(fd, read_buffer.data(), read_buffer.size());
      if (got > 0) {
        consume(stream, {read_buffer.data(), static_cast<std::size_t>(got)}, false);
        drained += static_cast<std::size_t>(got);
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      break;  // EAGAIN: nothing more buffered; 0: closed
    }
  }
  consume(stream, {}, true);
  stream.pipe.close();
  stream.open = false;
}

void OutputCapture::drain_and_close() {
  for (auto& stream : streams_) drain(stream);
}

void OutputCapture::when_written(std::chrono::milliseconds timeout,
                                 std::function<void()> done) const {
  std::vector<std::shared_ptr<LogFile>> files;
  for (const auto& file : {targets_.out, targets_.error, targets_.combined}) {
    if (file && std::ranges::find(files, file) == files.end()) files.push_back(file);
  }
  if (files.empty()) return done();
  // Whichever comes first, the files or the timeout, runs `done`; the other finds it gone.
  struct Waiting {
    Waiting(uv_loop_t* loop, std::function<void()> on_done, std::size_t count)
        : done(std::move(on_done)), remaining(count), timer(loop) {}
    std::function<void()> done;
    std::size_t remaining;
    Timer timer;
  };
  auto waiting = std::make_shared<Waiting>(loop_, std::move(done), files.size());
  auto finish = [](Waiting& state) {
    auto done = std::move(state.done);
    state.done = nullptr;
    state.timer.stop();  // drops the timer's callback, and with it its hold on the state
    if (done) done();
  };
  waiting->timer.start(timeout, [waiting, finish] { finish(*waiting); });
  for (const auto& file : files) {
    file->when_written([waiting, finish] {
      if (--waiting->remaining == 0) finish(*waiting);
    });
  }
}

}  // namespace cxpm
