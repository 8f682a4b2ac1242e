#include "cxpm/core/sparkline.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace cxpm;

namespace {
constexpr double kNoProcess = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("spark level: zero is the lowest bar, the top and above the highest") {
  CHECK(spark_level(0, 100) == 0);
  CHECK(spark_level(-3, 100) == 0);
  CHECK(spark_level(100, 100) == kSparkLevels - 1);
  CHECK(spark_level(250, 100) == kSparkLevels - 1);
  CHECK(spark_level(12.5, 100) == 0);  // one eighth
  CHECK(spark_level(13, 100) == 1);    // just above it
  CHECK(spark_level(50, 100) == 3);
  CHECK(spark_level(51, 100) == 4);
  CHECK(spark_level(99, 100) == 7);
}

TEST_CASE("spark level: a zero or NaN top or sample never divides by it") {
  CHECK(spark_level(5, 0) == 0);
  CHECK(spark_level(kNoProcess, 100) == 0);
  CHECK(spark_level(5, kNoProcess) == 0);
}

TEST_CASE("spark top: the largest sample, never below the floor, NaN not counted") {
  CHECK(spark_top({}, 100) == 100);
  CHECK(spark_top({3, 7, 2}, 100) == 100);
  CHECK(spark_top({3, 180, 2}, 100) == 180);
  CHECK(spark_top({kNoProcess, 4096, 1024}, 1) == 4096);
}

TEST_CASE("sparkline: the newest samples at the right, one glyph each") {
  CHECK(sparkline({0, 50, 100}, 3, 100, Glyphs::kAscii) == "_:#");
  CHECK(sparkline({0, 50, 100}, 3, 100, Glyphs::kUnicode) == "▁▄█");
  // Wider than the history: padded on the left, so time lines up at the right edge.
  CHECK(sparkline({100}, 4, 100, Glyphs::kAscii) == "   #");
  // Narrower: only the last samples.
  CHECK(sparkline({100, 100, 0, 0}, 2, 100, Glyphs::kAscii) == "__");
  CHECK(sparkline({1, 2}, 0, 100, Glyphs::kAscii).empty());
}

TEST_CASE("sparkline: a sample without a process is a gap") {
  CHECK(sparkline({100, kNoProcess, 100}, 3, 100, Glyphs::kAscii) == "# #");
  CHECK(sparkline({kNoProcess}, 2, 100, Glyphs::kUnicode) == "  ");
}
