#pragma once
// Text from apps made safe to draw on a full-screen terminal (`cxpm monit`): their colour
// codes and other escape sequences would move the cursor or repaint the screen, and a line
// wider than the screen would wrap onto the next row.

#include <cstddef>
#include <string>
#include <string_view>

namespace cxpm {

// `line` without escape sequences (CSI such as colours, OSC such as titles, two-byte ESC
// sequences) or other control characters; tabs become spaces to the next multiple of 8 and
// bytes that are not UTF-8 become '?'.
std::string printable_text(std::string_view line);

// Columns `text` takes: one per code point (names and log words; a wide CJK character takes
// two on screen, which only costs the line's last columns).
std::size_t text_columns(std::string_view text);

// The first `columns` code points of `text`, never cutting one in half.
std::string_view fit_columns(std::string_view text, std::size_t columns);

// `text` fitted to exactly `columns`: cut, or padded with spaces on the right.
std::string pad_columns(std::string_view text, std::size_t columns);

}  // namespace cxpm
