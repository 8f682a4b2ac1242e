#pragma once
// Newline-delimited frames on a byte stream, with a size limit so one client cannot make the
// daemon buffer without bound.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

// The largest frame the daemon reads. A `start` carries a whole ecosystem file: 10,000 apps
// with their own variables are a few MiB (the caller's environment is sent once, fields
// left at their defaults not at all), so the bound leaves room for files far beyond that
// while still keeping one client from making the daemon buffer without end.
inline constexpr std::size_t kMaxFrameBytes = 64 * 1024 * 1024;

class LineFramer {
 public:
  explicit LineFramer(std::size_t max_frame = kMaxFrameBytes) : max_frame_(max_frame) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }

  // The next complete line without its newline, or nullopt when none is complete yet.
  // Once a frame grows past the limit, overflowed() turns true and no more frames come.
  std::optional<std::string> next();

  bool overflowed() const { return overflowed_; }
  // Whether next() would return a line now (or report the overflow), without taking it.
  bool has_line();
  // Bytes held: the unfinished frame and any whole lines not taken yet.
  std::size_t buffered() const { return buffer_.size(); }

 private:
  std::size_t max_frame_;
  std::string buffer_;
  std::size_t scanned_ = 0;  // bytes of buffer_ already known to hold no newline
  bool overflowed_ = false;
};

}  // namespace cxpm
