#include "cxpm/daemon/output_capture.hpp"

#include <unistd.h>

#include <cerrno>

namespace cxpm {

OutputCapture::OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, LogTargets targets)
    : targets_(std::move(targets)) {
  streams_[1].is_error = true;
  const int fds[2] = {out_fd, error_fd};
  for (int i = 0; i < 2; ++i) {
    Stream& stream = streams_[i];
    stream.owner = this;
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
  uv_read_start(
      stream.pipe.stream(),
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* stream = static_cast<Stream*>(handle->data);
        *buf = uv_buf_init(stream->owner->buffer_.data(), stream->owner->buffer_.size());
      },
      [](uv_stream_t* pipe, ssize_t nread, const uv_buf_t* buf) {
        auto* stream = static_cast<Stream*>(pipe->data);
        if (nread > 0) {
          stream->owner->consume(*stream, {buf->base, static_cast<std::size_t>(nread)});
        } else if (nread < 0) {
          // EOF or error: the app (and every child holding the pipe) is gone.
          uv_read_stop(pipe);
          stream->lines.flush([&](std::string_view line) {
            stream->owner->batch_.append(line).push_back('\n');
          });
          stream->owner->write_batch(*stream);
        }
      });
}

void OutputCapture::consume(Stream& stream, std::string_view bytes) {
  stream.lines.feed(bytes, [&](std::string_view line) { batch_.append(line).push_back('\n'); });
  write_batch(stream);
}

void OutputCapture::write_batch(Stream& stream) {
  if (batch_.empty()) return;
  const auto& file = stream.is_error ? targets_.error : targets_.out;
  if (file) file->append(batch_);
  if (targets_.combined) targets_.combined->append(batch_);
  batch_.clear();
}

void OutputCapture::drain(Stream& stream) {
  if (!stream.open) return;
  uv_os_fd_t fd = -1;
  if (uv_fileno(stream.pipe.base(), &fd) == 0) {
    for (;;) {
      const ssize_t got = ::read(fd, buffer_.data(), buffer_.size());
      if (got > 0) {
        consume(stream, {buffer_.data(), static_cast<std::size_t>(got)});
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      break;  // EAGAIN: nothing more buffered; 0: closed
    }
  }
  stream.lines.flush([&](std::string_view line) { batch_.append(line).push_back('\n'); });
  write_batch(stream);
  stream.pipe.close();
  stream.open = false;
}

void OutputCapture::drain_and_close() {
  for (auto& stream : streams_) drain(stream);
}

}  // namespace cxpm
