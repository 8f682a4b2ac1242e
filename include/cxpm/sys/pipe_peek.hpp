#pragma once
// Reading a pipe without taking the bytes out of it: what a log capture needs so that bytes
// leave an app's pipe only once they are in the log file (another process holding a copy of
// the pipe's read end then finds them there if this one dies before writing them).
//
// PipePeek copies the bytes at the head of a pipe with tee(2) into a private pipe and reads
// them from there; the caller consumes them from the app's pipe later (discard_from_pipe).
// The copy never moves the head: a second peek sees the same bytes again, so a caller peeks
// once and consumes what it used before peeking again.

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string_view>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

struct Peeked {
  // The bytes at the head of the pipe (a view into the peeker's buffer), up to capacity().
  std::string_view bytes;
  // The pipe is empty and nobody holds its write end any more.
  bool end = false;
  // An errno when the pipe cannot be peeked at (not a pipe, a descriptor gone), else 0.
  int error = 0;
};

class PipePeek {
 public:
  // One private pipe serves every caller on one thread (a peek is read at once).
  PipePeek();

  // Copies up to capacity() bytes from `pipe_fd`'s head without consuming them. Empty
  // `bytes` without `end` or `error`: nothing buffered now (the pipe is non-blocking).
  Peeked peek(int pipe_fd);
  // At most this much is seen by the next peek. The private pipe grows on demand (grow) up to
  // what the system allows; the buffer follows it only while peeks fill it, and is given back
  // once they are small again, so a daemon that saw one burst does not keep 1 MiB for it.
  std::size_t capacity() const { return buffer_size_; }
  void grow(std::size_t bytes);
  // The caller is done with the last peek's bytes: a large buffer that was not needed goes.
  void done_with_peek();

 private:
  void resize_buffer(std::size_t bytes);

  UniqueFd read_end_;
  UniqueFd write_end_;
  std::size_t pipe_size_ = 0;
  std::size_t buffer_size_ = 0;
  std::size_t last_peek_ = 0;
  std::unique_ptr<char[]> buffer_;
};

// Takes `bytes` from the head of `pipe_fd` and drops them (splice to /dev/null: no copy).
// Safe from any thread. Returns false if the pipe held fewer (or failed).
bool discard_from_pipe(int pipe_fd, std::size_t bytes);

// Bytes buffered in a pipe now (FIONREAD), or -1.
ssize_t pipe_buffered(int pipe_fd);

}  // namespace cxpm
