#include "cxpm/sys/pipe_peek.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

// The buffer most peeks need (a default pipe holds 64 KiB); larger ones only while peeks fill it.
constexpr std::size_t kSmallBuffer = 256 * 1024;

int dev_null() {
  static const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  return fd;
}

}  // namespace

PipePeek::PipePeek() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) throw_system_error("pipe");
  read_end_.reset(ends[0]);
  write_end_.reset(ends[1]);
  const int size = ::fcntl(write_end_.get(), F_GETPIPE_SZ);
  pipe_size_ = size > 0 ? static_cast<std::size_t>(size) : 4096;
  resize_buffer(std::min(pipe_size_, kSmallBuffer));
}

void PipePeek::resize_buffer(std::size_t bytes) {
  buffer_size_ = bytes;
  buffer_ = std::make_unique<char[]>(bytes);
}

void PipePeek::grow(std::size_t bytes) {
  if (bytes <= pipe_size_) return;
  const int size = ::fcntl(write_end_.get(), F_SETPIPE_SZ, static_cast<int>(bytes));
  if (size > 0) pipe_size_ = std::max(pipe_size_, static_cast<std::size_t>(size));
}

Peeked PipePeek::peek(int pipe_fd) {
  // The last peek's bytes are no longer looked at: the buffer may change now.
  if (last_peek_ >= buffer_size_ && buffer_size_ < pipe_size_) resize_buffer(pipe_size_);
  last_peek_ = 0;
  ssize_t copied;
  do {
    copied = ::tee(pipe_fd, write_end_.get(), buffer_size_, SPLICE_F_NONBLOCK);
  } while (copied < 0 && errno == EINTR);
  if (copied == 0) return {{}, true, 0};
  if (copied < 0) return {{}, false, errno == EAGAIN ? 0 : errno};
  // The private pipe now holds exactly the copy (it is emptied by every peek).
  std::size_t have = 0;
  const auto want = static_cast<std::size_t>(copied);
  while (have < want) {
    const ssize_t got = ::read(read_end_.get(), buffer_.get() + have, want - have);
    if (got > 0) {
      have += static_cast<std::size_t>(got);
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // cannot happen: tee put these bytes there
    }
  }
  last_peek_ = have;
  return {{buffer_.get(), have}, false, 0};
}

void PipePeek::done_with_peek() {
  if (last_peek_ <= kSmallBuffer / 2 && buffer_size_ > kSmallBuffer) resize_buffer(kSmallBuffer);
}

bool discard_from_pipe(int pipe_fd, std::size_t bytes) {
  while (bytes > 0) {
    ssize_t moved = ::splice(pipe_fd, nullptr, dev_null(), nullptr, bytes, SPLICE_F_NONBLOCK);
    if (moved < 0 && errno == EINVAL) {
      // A kernel whose /dev/null takes no splice: read and drop instead.
      std::array<char, 16 * 1024> sink;
      moved = ::read(pipe_fd, sink.data(), std::min(bytes, sink.size()));
    }
    if (moved > 0) {
      bytes -= static_cast<std::size_t>(moved);
    } else if (moved < 0 && errno == EINTR) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

ssize_t pipe_buffered(int pipe_fd) {
  int buffered = 0;
  if (::ioctl(pipe_fd, FIONREAD, &buffered) != 0) return -1;
  return buffered;
}

}  // namespace cxpm
