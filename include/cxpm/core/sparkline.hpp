#pragma once
// A series of samples drawn as one line of bar glyphs (`cxpm monit`'s CPU and memory
// history): the newest sample at the right, each bar's height its share of a top value.

#include <cstddef>
#include <string>
#include <vector>

namespace cxpm {

enum class Glyphs {
  kUnicode,  // ▁▂▃▄▅▆▇█, for a UTF-8 terminal
  kAscii,    // _.-:=+*#, for any other
};

// How many heights a bar can have.
inline constexpr std::size_t kSparkLevels = 8;

// The level (0 to kSparkLevels - 1) of one sample against `top`: a sample at or above top
// is the highest bar, zero or below the lowest, and anything above zero is above the lowest
// but the smallest eighth.
std::size_t spark_level(double sample, double top);

// The scale to draw `samples` against: the largest of them, never below `floor` (so a quiet
// process's noise is not drawn as full bars). NaN samples (no process) are not counted.
double spark_top(const std::vector<double>& samples, double floor);

// The last `width` samples, one glyph each, right-aligned in `width` columns (a short history
// is padded with spaces on the left). A NaN sample (no process then) is a space.
std::string sparkline(const std::vector<double>& samples, std::size_t width, double top,
                      Glyphs glyphs);

}  // namespace cxpm
