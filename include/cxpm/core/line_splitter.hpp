#pragma once
// Cuts a byte stream into lines, so that lines from different instances written to one file
// never interleave and a line split across two reads is written whole.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxpm {

class LineSplitter {
 public:
  // A line longer than this is cut into pieces of this size rather than buffered forever.
  static constexpr std::size_t kMaxLine = 4 * 1024 * 1024;

  // Calls on_line(line) for each complete line in `bytes`, without the newline.
  template <typename OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    while (!bytes.empty()) {
      const auto newline = bytes.find('\n');
      if (newline == std::string_view::npos) {
        partial_.append(bytes);
        while (partial_.size() >= kMaxLine) {
          on_line(std::string_view(partial_).substr(0, kMaxLine));
          partial_.erase(0, kMaxLine);
        }
        return;
      }
      if (partial_.empty()) {
        on_line(bytes.substr(0, newline));
      } else {
        partial_.append(bytes.substr(0, newline));
        on_line(std::string_view(partial_));
        partial_.clear();
      }
      bytes.remove_prefix(newline + 1);
    }
  }

  // Emits what is left without a newline (the stream ended), if anything.
  template <typename OnLine>
  void flush(OnLine&& on_line) {
    if (partial_.empty()) return;
    on_line(std::string_view(partial_));
    partial_.clear();
  }

  bool has_partial() const { return !partial_.empty(); }

 private:
  std::string partial_;
};

}  // namespace cxpm
