#include "cxpm/cli/terminal_text.hpp"

namespace cxpm {
namespace {

constexpr char kEscape = '\x1b';
constexpr std::size_t kTabStop = 8;

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

// The length of the UTF-8 sequence at the start of `text`, or 0 when it is not one (a stray
// continuation byte, a truncated sequence, an overlong or out-of-range lead byte).
std::size_t utf8_length(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  if (length == 0 || text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(static_cast<unsigned char>(text[i]))) return 0;
  }
  return length;
}

// The length of the escape sequence at the start of `text` (which starts with ESC).
std::size_t escape_length(std::string_view text) {
  if (text.size() < 2) return text.size();
  if (text[1] == '[') {  // CSI: parameters and intermediates, then a final byte @ to ~
    std::size_t i = 2;
    while (i < text.size() && (text[i] < 0x40 || text[i] > 0x7E)) ++i;
    return i < text.size() ? i + 1 : i;
  }
  if (text[1] == ']') {  // OSC: up to BEL or ESC backslash
    for (std::size_t i = 2; i < text.size(); ++i) {
      if (text[i] == '\a') return i + 1;
      if (text[i] == kEscape && i + 1 < text.size() && text[i + 1] == '\\') return i + 2;
    }
    return text.size();
  }
  return 2;
}

}  // namespace

std::string printable_text(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  std::size_t columns = 0;
  while (!line.empty()) {
    const auto byte = static_cast<unsigned char>(line[0]);
    std::size_t used = 1;
    if (byte == kEscape) {
      used = escape_length(line);
    } else if (byte == '\t') {
      const std::size_t spaces = kTabStop - columns % kTabStop;
      out.append(spaces, ' ');
      columns += spaces;
    } else if (byte < 0x20 || byte == 0x7F) {
      // Other control characters (a carriage return, a bell) are dropped.
    } else if (const std::size_t length = utf8_length(line); length == 0) {
      out += '?';
      ++columns;
    } else {
      const bool c1_control =
          length == 2 && byte == 0xC2 && static_cast<unsigned char>(line[1]) < 0xA0;
      if (!c1_control) {
        out.append(line.substr(0, length));
        ++columns;
      }
      used = length;
    }
    line.remove_prefix(used);
  }
  return out;
}

std::size_t text_columns(std::string_view text) {
  std::size_t columns = 0;
  for (const char c : text) {
    if (!is_continuation(static_cast<unsigned char>(c))) ++columns;
  }
  return columns;
}

std::string_view fit_columns(std::string_view text, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_continuation(static_cast<unsigned char>(text[i]))) continue;
    if (seen == columns) return text.substr(0, i);
    ++seen;
  }
  return text;
}

std::string pad_columns(std::string_view text, std::size_t columns) {
  std::string out(fit_columns(text, columns));
  out.append(columns - text_columns(out), ' ');
  return out;
}

}  // namespace cxpm
