#include "cxpm/daemon/output_capture.hpp"

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

}  // namespace

OutputCapture::OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, OutputSettings settings,
                             LogHub& hub)
    : targets_(std::move(settings.targets)), source_(std::move(settings.source)), hub_(hub) {
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

OutputCapture::~OutputCapture() { drain_and_close(); }

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
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* stream = static_cast<Stream*>(handle->data);
        *buf = uv_buf_init(stream->owner->buffer_.data(), stream->owner->buffer_.size());
      },
      [](uv_stream_t* pipe, ssize_t nread, const uv_buf_t* buf) {
        auto* stream = static_cast<Stream*>(pipe->data);
        if (nread > 0) {
          stream->owner->consume(*stream, {buf->base, static_cast<std::size_t>(nread)}, false);
          stream->owner->pause_if_congested(*stream);
        } else if (nread < 0) {
          // EOF or error: the app (and every child holding the pipe) is gone.
          uv_read_stop(pipe);
          stream->owner->consume(*stream, {}, true);
        }
      });
}

void OutputCapture::pause_if_congested(Stream& stream) {
  if (stream.paused || !stream.open) return;
  for (const auto* file : {&(stream.is_error ? targets_.error : targets_.out), &targets_.combined}) {
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
  read_start(stream);
  pause_if_congested(stream);  // the other file may still be congested
}

void OutputCapture::consume(Stream& stream, std::string_view bytes, bool at_end) {
  const std::int64_t now = wall_clock_ms();
  stream.formatter.start_batch(now);
  const bool live = hub_.wants(source_, stream.is_error);
  Json lines;
  auto on_line = [&](std::string_view line) {
    stream.formatter.append(batch_, line);
    if (live) lines.push_back(line.substr(0, LogHub::kMaxStreamedLine));
  };
  stream.lines.feed(bytes, on_line);
  if (at_end) stream.lines.flush(on_line);
  if (!batch_.empty()) {
    const auto& file = stream.is_error ? targets_.error : targets_.out;
    if (file) file->append(batch_);
    if (targets_.combined) targets_.combined->append(batch_);
    batch_.clear();
    if (batch_.capacity() > kBatchKept) batch_ = std::string();
  }
  if (live && !lines.empty()) hub_.publish(source_, stream.is_error, now, std::move(lines));
}

void OutputCapture::drain(Stream& stream) {
  if (!stream.open) return;
  uv_os_fd_t fd = -1;
  if (uv_fileno(stream.pipe.base(), &fd) == 0) {
    std::size_t drained = 0;
    while (drained < kMaxDrainBytes) {
      const ssize_t got = ::read(fd, buffer_.data(), buffer_.size());
      if (got > 0) {
        consume(stream, {buffer_.data(), static_cast<std::size_t>(got)}, false);
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

void OutputCapture::when_written(std::function<void()> done) const {
  std::vector<std::shared_ptr<LogFile>> files;
  for (const auto& file : {targets_.out, targets_.error, targets_.combined}) {
    if (file && std::ranges::find(files, file) == files.end()) files.push_back(file);
  }
  if (files.empty()) return done();
  auto remaining = std::make_shared<std::size_t>(files.size());
  auto shared_done = std::make_shared<std::function<void()>>(std::move(done));
  for (const auto& file : files) {
    file->when_written([remaining, shared_done] {
      if (--*remaining == 0) (*shared_done)();
    });
  }
}

}  // namespace cxpm
