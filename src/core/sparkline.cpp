#include "cxpm/core/sparkline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace cxpm {
namespace {

constexpr std::array<std::string_view, kSparkLevels> kUnicodeBars{"▁", "▂", "▃", "▄",
                                                                  "▅", "▆", "▇", "█"};
constexpr std::array<std::string_view, kSparkLevels> kAsciiBars{"_", ".", "-", ":",
                                                                "=", "+", "*", "#"};

}  // namespace

std::size_t spark_level(double sample, double top) {
  if (!(sample > 0) || !(top > 0)) return 0;
  if (sample >= top) return kSparkLevels - 1;
  // Eighths rounded up, so a sample just above one eighth is not drawn as one eighth.
  const double eighths = std::ceil(sample / top * static_cast<double>(kSparkLevels));
  return static_cast<std::size_t>(std::clamp(eighths, 1.0, static_cast<double>(kSparkLevels))) - 1;
}

double spark_top(const std::vector<double>& samples, double floor) {
  double top = floor;
  for (const double sample : samples) {
    if (!std::isnan(sample)) top = std::max(top, sample);
  }
  return top;
}

std::string sparkline(const std::vector<double>& samples, std::size_t width, double top,
                      Glyphs glyphs) {
  const auto& bars = glyphs == Glyphs::kUnicode ? kUnicodeBars : kAsciiBars;
  const std::size_t shown = std::min(width, samples.size());
  std::string out(width - shown, ' ');
  for (std::size_t i = samples.size() - shown; i < samples.size(); ++i) {
    if (std::isnan(samples[i])) {
      out += ' ';
    } else {
      out += bars[spark_level(samples[i], top)];
    }
  }
  return out;
}

}  // namespace cxpm
