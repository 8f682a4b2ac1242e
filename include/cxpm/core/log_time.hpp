#pragma once
// Timestamps for log lines, written with pm2's (moment.js) tokens so `log_date_format` values
// carry over: "YYYY-MM-DD HH:mm:ss.SSS Z" → "2024-05-01 13:02:03.004 +02:00".

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace cxpm {

// pm2's format for `time: true`.
inline constexpr std::string_view kDefaultLogDateFormat = "YYYY-MM-DDTHH:mm:ss";

// A moment on the wall clock, with its offset from UTC.
struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millisecond = 0;
  int utc_offset_minutes = 0;
};

// From localtime_r's or gmtime_r's result (tm_gmtoff gives the offset).
CivilTime civil_time(const std::tm& broken_down, int millisecond);

// Tokens: YYYY YY MMM MM M DD D HH H hh h mm m ss s SSS SS S ZZ Z A a; text in [brackets] is
// copied as is, and so is every other character.
std::string format_log_time(std::string_view format, const CivilTime& time);

}  // namespace cxpm
