#include "cxpm/protocol/framing.hpp"

namespace cxpm {

bool LineFramer::has_line() {
  if (overflowed_) return false;
  const auto newline = buffer_.find('\n', scanned_);
  if (newline == std::string::npos) {
    scanned_ = buffer_.size();
    return buffer_.size() > max_frame_;
  }
  return true;
}

std::optional<std::string> LineFramer::next() {
  if (overflowed_) return std::nullopt;
  const auto newline = buffer_.find('\n', scanned_);
  if (newline == std::string::npos) {
    scanned_ = buffer_.size();
    if (buffer_.size() > max_frame_) {
      overflowed_ = true;
      buffer_.clear();
      buffer_.shrink_to_fit();
    }
    return std::nullopt;
  }
  if (newline > max_frame_) {
    overflowed_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
    return std::nullopt;
  }
  std::string line = buffer_.substr(0, newline);
  buffer_.erase(0, newline + 1);
  scanned_ = 0;
  // An idle connection should not keep the memory of its largest request.
  if (buffer_.empty() && buffer_.capacity() > 64 * 1024) buffer_.shrink_to_fit();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace cxpm
