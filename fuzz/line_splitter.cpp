// LineSplitter cuts an app's output into lines for the log files and followers. Output
// arrives in reads of any size, so the lines must not depend on where the reads end: fed in
// chunks or at once, the splitter must give back exactly the input's lines, each without its
// newline, and the unfinished last line only on flush.

#include "cxpm/core/line_splitter.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input.hpp"

namespace {

using cxpm::LineSplitter;

struct Split {
  std::vector<std::string> lines;
  bool partial_before_flush = false;

  bool operator==(const Split&) const = default;
};

Split split(const std::vector<std::string_view>& chunks) {
  LineSplitter splitter;
  Split result;
  const auto keep = [&](std::string_view line) { result.lines.emplace_back(line); };
  for (const auto chunk : chunks) splitter.feed(chunk, keep);
  result.partial_before_flush = splitter.has_partial();
  splitter.flush(keep);
  if (splitter.has_partial()) cxpm::fuzz::broken("a partial line is left after flush");
  return result;
}

// Inputs stay far below LineSplitter::kMaxLine, so no line is cut for length here.
Split expected(std::string_view text) {
  Split result;
  while (true) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) break;
    result.lines.emplace_back(text.substr(0, newline));
    text.remove_prefix(newline + 1);
  }
  result.partial_before_flush = !text.empty();
  if (!text.empty()) result.lines.emplace_back(text);
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = cxpm::fuzz::as_text(data, size);
  const Split want = expected(text);
  if (split({text}) != want) cxpm::fuzz::broken("lines differ from the input's lines");
  if (split(cxpm::fuzz::chunks_of(text, cxpm::fuzz::fingerprint(text))) != want) {
    cxpm::fuzz::broken("lines depend on how the bytes arrived");
  }
  return 0;
}
