#include "cxpm/config/units.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <limits>
#include <utility>

namespace cxpm {
namespace {

// A non-negative decimal number split so that scaling it needs no floating point.
struct Quantity {
  std::uint64_t whole = 0;
  std::uint64_t fraction = 0;        // the digits after the point, as an integer
  std::uint64_t fraction_scale = 1;  // 10^(digits kept)
  std::string_view unit;             // the rest, lower-cased by the caller's comparison
};

// Six fractional digits keep fraction * unit inside 64 bits even for terabytes.
constexpr int kMaxFractionDigits = 6;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

std::optional<Quantity> parse_quantity(std::string_view text) {
  text = trim(text);
  Quantity quantity;
  std::size_t i = 0;
  const auto is_digit = [&](std::size_t at) {
    return at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]));
  };
  if (!is_digit(0)) return std::nullopt;
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  for (; is_digit(i); ++i) {
    const std::uint64_t digit = text[i] - '0';
    if (quantity.whole > (kMax - digit) / 10) return std::nullopt;
    quantity.whole = quantity.whole * 10 + digit;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!is_digit(i)) return std::nullopt;
    for (int kept = 0; is_digit(i); ++i, ++kept) {
      if (kept >= kMaxFractionDigits) continue;
      quantity.fraction = quantity.fraction * 10 + (text[i] - '0');
      quantity.fraction_scale *= 10;
    }
  }
  quantity.unit = trim(text.substr(i));
  return quantity;
}

// whole * unit + fraction * unit / scale, or nullopt on overflow.
std::optional<std::uint64_t> scale(const Quantity& quantity, std::uint64_t unit) {
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  if (quantity.whole > kMax / unit) return std::nullopt;
  const std::uint64_t whole = quantity.whole * unit;
  const std::uint64_t part = quantity.fraction * unit / quantity.fraction_scale;
  if (whole > kMax - part) return std::nullopt;
  return whole + part;
}

template <std::size_t N>
std::optional<std::uint64_t> find_unit(
    std::string_view unit, const std::array<std::pair<std::string_view, std::uint64_t>, N>& table) {
  for (const auto& [name, size] : table) {
    if (equals_ignoring_case(unit, name)) return size;
  }
  return std::nullopt;
}

constexpr std::uint64_t kSecond = 1000;
constexpr std::uint64_t kMinute = 60 * kSecond;
constexpr std::uint64_t kHour = 60 * kMinute;
constexpr std::uint64_t kDay = 24 * kHour;

constexpr std::array<std::pair<std::string_view, std::uint64_t>, 7> kDurationUnits{{
    {"", 1},
    {"ms", 1},
    {"s", kSecond},
    {"m", kMinute},
    {"min", kMinute},
    {"h", kHour},
    {"d", kDay},
}};

constexpr std::uint64_t kKi = 1024;
constexpr std::array<std::pair<std::string_view, std::uint64_t>, 14> kByteUnits{{
    {"", 1},
    {"b", 1},
    {"k", kKi},
    {"kb", kKi},
    {"kib", kKi},
    {"m", kKi* kKi},
    {"mb", kKi* kKi},
    {"mib", kKi* kKi},
    {"g", kKi* kKi* kKi},
    {"gb", kKi* kKi* kKi},
    {"gib", kKi* kKi* kKi},
    {"t", kKi* kKi* kKi* kKi},
    {"tb", kKi* kKi* kKi* kKi},
    {"tib", kKi* kKi* kKi* kKi},
}};

}  // namespace

std::optional<Milliseconds> parse_duration(std::string_view text) {
  const auto quantity = parse_quantity(text);
  if (!quantity) return std::nullopt;
  const auto unit = find_unit(quantity->unit, kDurationUnits);
  if (!unit) return std::nullopt;
  const auto millis = scale(*quantity, *unit);
  if (!millis || *millis > static_cast<std::uint64_t>(Milliseconds::max().count())) {
    return std::nullopt;
  }
  return Milliseconds(static_cast<Milliseconds::rep>(*millis));
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  const auto quantity = parse_quantity(text);
  if (!quantity) return std::nullopt;
  const auto unit = find_unit(quantity->unit, kByteUnits);
  if (!unit) return std::nullopt;
  return scale(*quantity, *unit);
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < kKi) return fmt::format("{} B", bytes);
  constexpr std::array<std::string_view, 5> kNames{"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / kKi;
  std::size_t unit = 0;
  // 1023.97 KiB would print as "1024.0 KiB": move up once the rounded value reaches 1024.
  while (value >= kKi - 0.05 && unit + 1 < kNames.size()) {
    value /= kKi;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kNames[unit]);
}

std::string format_duration(Milliseconds duration) {
  const std::uint64_t millis = duration.count() > 0 ? duration.count() : 0;
  if (millis < kSecond) return fmt::format("{}ms", millis);
  struct Unit {
    std::uint64_t size;
    const char* suffix;
  };
  constexpr std::array<Unit, 4> kUnits{{{kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}}};
  for (std::size_t i = 0; i < kUnits.size(); ++i) {
    const std::uint64_t major = millis / kUnits[i].size;
    if (major == 0) continue;
    if (i + 1 == kUnits.size()) return fmt::format("{}{}", major, kUnits[i].suffix);
    const std::uint64_t minor = millis % kUnits[i].size / kUnits[i + 1].size;
    if (minor == 0) return fmt::format("{}{}", major, kUnits[i].suffix);
    return fmt::format("{}{} {}{}", major, kUnits[i].suffix, minor, kUnits[i + 1].suffix);
  }
  return "0ms";  // unreachable: millis >= one second
}

}  // namespace cxpm
