#include "cxpm/core/tail_lines.hpp"

#include <algorithm>

namespace cxpm {

void TailLines::add_preceding(std::string_view chunk) {
  if (chunk.empty()) return;
  if (chunks_.empty()) ends_with_newline_ = chunk.back() == '\n';
  newlines_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
  chunks_.emplace_back(chunk);
}

bool TailLines::complete() const {
  // The newline that ends the data ends the last line; it does not start another.
  const std::size_t separators = newlines_ - (ends_with_newline_ ? 1 : 0);
  return wanted_ == 0 || (!chunks_.empty() && separators >= wanted_);
}

std::vector<std::string> TailLines::lines(bool at_start) const {
  std::vector<std::string> out;
  if (wanted_ == 0 || chunks_.empty()) return out;
  std::string data;
  for (auto chunk = chunks_.rbegin(); chunk != chunks_.rend(); ++chunk) data += *chunk;
  if (ends_with_newline_) data.pop_back();
  std::vector<std::string_view> pieces;
  std::string_view rest(data);
  for (;;) {
    const auto newline = rest.find('\n');
    pieces.push_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  // Without the start of the data, the first piece may be the end of a longer line.
  std::size_t first = at_start ? 0 : 1;
  if (pieces.size() - first > wanted_) first = pieces.size() - wanted_;
  for (std::size_t i = first; i < pieces.size(); ++i) out.emplace_back(pieces[i]);
  return out;
}

}  // namespace cxpm
