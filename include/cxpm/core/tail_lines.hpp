#pragma once
// The last lines of a file, found by reading it backwards in chunks, so `cxpm logs --lines 15`
// reads a few kilobytes of a gigabyte log, not all of it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cxpm {

class TailLines {
 public:
  explicit TailLines(std::size_t wanted) : wanted_(wanted) {}

  // Adds the bytes just before everything added so far.
  void add_preceding(std::string_view chunk);
  // Whether the bytes added hold the `wanted` last lines whole.
  bool complete() const;

  // The last lines (at most `wanted`), oldest first, without newlines. `at_start` says the
  // bytes added begin at the start of the data, so their first line is whole.
  std::vector<std::string> lines(bool at_start) const;

 private:
  std::size_t wanted_;
  std::vector<std::string> chunks_;  // newest first
  std::size_t newlines_ = 0;
  bool ends_with_newline_ = false;
};

}  // namespace cxpm
