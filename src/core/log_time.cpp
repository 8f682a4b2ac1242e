#include "cxpm/core/log_time.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace cxpm {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Longest first, so "YYYY" wins over "YY" and "SSS" over "S".
constexpr std::array<std::string_view, 22> kTokens{
    "YYYY", "SSS", "MMM", "YY", "MM", "DD", "HH", "hh", "mm", "ss", "SS",
    "ZZ",   "M",   "D",   "H",  "h",  "m",  "s",  "S",  "Z",  "A",  "a"};

void append_number(std::string& out, int value, int width) {
  char digits[16];
  const int length = std::snprintf(digits, sizeof digits, "%0*d", width, value);
  out.append(digits, static_cast<std::size_t>(length));
}

void append_offset(std::string& out, int minutes, bool with_colon) {
  out.push_back(minutes < 0 ? '-' : '+');
  const int magnitude = std::abs(minutes);
  append_number(out, magnitude / 60, 2);
  if (with_colon) out.push_back(':');
  append_number(out, magnitude % 60, 2);
}

void append_token(std::string& out, std::string_view token, const CivilTime& time) {
  const int hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12;
  if (token == "YYYY") return append_number(out, time.year, 4);
  if (token == "YY") return append_number(out, time.year % 100, 2);
  if (token == "MMM") {
    out.append(kMonthNames[static_cast<std::size_t>((time.month + 11) % 12)]);
    return;
  }
  if (token == "MM") return append_number(out, time.month, 2);
  if (token == "M") return append_number(out, time.month, 1);
  if (token == "DD") return append_number(out, time.day, 2);
  if (token == "D") return append_number(out, time.day, 1);
  if (token == "HH") return append_number(out, time.hour, 2);
  if (token == "H") return append_number(out, time.hour, 1);
  if (token == "hh") return append_number(out, hour12, 2);
  if (token == "h") return append_number(out, hour12, 1);
  if (token == "mm") return append_number(out, time.minute, 2);
  if (token == "m") return append_number(out, time.minute, 1);
  if (token == "ss") return append_number(out, time.second, 2);
  if (token == "s") return append_number(out, time.second, 1);
  if (token == "SSS") return append_number(out, time.millisecond, 3);
  if (token == "SS") return append_number(out, time.millisecond / 10, 2);
  if (token == "S") return append_number(out, time.millisecond / 100, 1);
  if (token == "ZZ") return append_offset(out, time.utc_offset_minutes, false);
  if (token == "Z") return append_offset(out, time.utc_offset_minutes, true);
  if (token == "A") {
    out.append(time.hour < 12 ? "AM" : "PM");
    return;
  }
  if (token == "a") out.append(time.hour < 12 ? "am" : "pm");
}

}  // namespace

CivilTime civil_time(const std::tm& broken_down, int millisecond) {
  return CivilTime{broken_down.tm_year + 1900,
                   broken_down.tm_mon + 1,
                   broken_down.tm_mday,
                   broken_down.tm_hour,
                   broken_down.tm_min,
                   broken_down.tm_sec,
                   millisecond,
                   static_cast<int>(broken_down.tm_gmtoff / 60)};
}

std::string format_log_time(std::string_view format, const CivilTime& time) {
  std::string out;
  out.reserve(format.size() + 8);
  while (!format.empty()) {
    if (format.front() == '[') {
      const auto close = format.find(']');
      if (close != std::string_view::npos) {
        out.append(format.substr(1, close - 1));
        format.remove_prefix(close + 1);
        continue;
      }
    }
    bool matched = false;
    for (std::string_view token : kTokens) {
      if (format.starts_with(token)) {
        append_token(out, token, time);
        format.remove_prefix(token.size());
        matched = true;
        break;
      }
    }
    if (!matched) {
      out.push_back(format.front());
      format.remove_prefix(1);
    }
  }
  return out;
}

}  // namespace cxpm
