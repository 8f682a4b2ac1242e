#include "cxpm/config/cron.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <random>

namespace cxpm {
namespace {

using namespace std::chrono;

// Unix seconds of a UTC wall-clock time.
std::int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  const sys_seconds time =
      sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
  return time.time_since_epoch().count();
}

CronSchedule must_parse(std::string_view pattern) {
  std::string error;
  auto schedule = CronSchedule::parse(pattern, &error);
  INFO(pattern, ": ", error);
  REQUIRE(schedule);
  return *schedule;
}

std::string parse_error(std::string_view pattern) {
  std::string error;
  CHECK_FALSE(CronSchedule::parse(pattern, &error));
  return error;
}

TEST_CASE("cron: steps, strictly after") {
  const auto every_five = must_parse("*/5 * * * *");
  CHECK(every_five.next_after(at(2024, 3, 15, 12, 3, 10)) == at(2024, 3, 15, 12, 5));
  CHECK(every_five.next_after(at(2024, 3, 15, 12, 5)) == at(2024, 3, 15, 12, 10));
  CHECK(every_five.next_after(at(2024, 3, 15, 23, 59, 59)) == at(2024, 3, 16, 0, 0));
  CHECK_FALSE(every_five.has_seconds());
}

TEST_CASE("cron: six fields start with seconds") {
  const auto schedule = must_parse("*/10 * * * * *");
  CHECK(schedule.has_seconds());
  CHECK(schedule.next_after(at(2024, 3, 15, 12, 0, 5)) == at(2024, 3, 15, 12, 0, 10));
  CHECK(schedule.next_after(at(2024, 3, 15, 12, 0, 50)) == at(2024, 3, 15, 12, 1, 0));
  CHECK(must_parse("30 15 10 * * *").next_after(at(2024, 3, 15, 12)) ==
        at(2024, 3, 16, 10, 15, 30));
}

TEST_CASE("cron: carries across days, months, years and leap days") {
  CHECK(must_parse("0 0 * * *").next_after(at(2023, 12, 31, 23, 59, 59)) == at(2024, 1, 1));
  CHECK(must_parse("0 0 29 2 *").next_after(at(2024, 3, 1)) == at(2028, 2, 29));
  CHECK(must_parse("0 0 31 * *").next_after(at(2024, 4, 1)) == at(2024, 5, 31));
  CHECK(must_parse("0 0 1 1 *").next_after(at(1969, 6, 1)) == 0);  // before the epoch too
}

TEST_CASE("cron: lists, ranges, stepped ranges and names") {
  const auto minutes = must_parse("1-10/3 * * * *");  // 1, 4, 7, 10
  CHECK(minutes.next_after(at(2024, 3, 15, 12, 4)) == at(2024, 3, 15, 12, 7));
  CHECK(minutes.next_after(at(2024, 3, 15, 12, 10)) == at(2024, 3, 15, 13, 1));
  const auto from_five = must_parse("5/15 * * * *");  // 5, 20, 35, 50
  CHECK(from_five.next_after(at(2024, 3, 15, 12, 36)) == at(2024, 3, 15, 12, 50));
  CHECK(must_parse("0 0 1 jan,JUL *").next_after(at(2024, 2, 1)) == at(2024, 7, 1));
  CHECK(must_parse("0 8,17 * * *").next_after(at(2024, 3, 15, 9)) == at(2024, 3, 15, 17));
  CHECK(must_parse("0 0 1 mar-may *").next_after(at(2024, 5, 2)) == at(2025, 3, 1));
}

TEST_CASE("cron: days of the week") {
  // 2024-03-16 is a Saturday.
  CHECK(must_parse("0 12 * * mon-fri").next_after(at(2024, 3, 16)) == at(2024, 3, 18, 12));
  CHECK(must_parse("0 0 * * 7").next_after(at(2024, 3, 16)) == at(2024, 3, 17));
  CHECK(must_parse("0 0 * * 0").next_after(at(2024, 3, 16)) == at(2024, 3, 17));
  CHECK(must_parse("0 0 * * 5-7").next_after(at(2024, 3, 18)) == at(2024, 3, 22));
  CHECK(must_parse("0 0 * * Sun").next_after(at(2024, 3, 16)) == at(2024, 3, 17));
}

TEST_CASE("cron: restricted day-of-month and day-of-week match either (Vixie)") {
  const auto schedule = must_parse("0 0 13 * fri");
  CHECK(schedule.next_after(at(2024, 3, 1)) == at(2024, 3, 8));    // a Friday
  CHECK(schedule.next_after(at(2024, 3, 8)) == at(2024, 3, 13));   // a Wednesday, the 13th
  CHECK(schedule.next_after(at(2024, 3, 13)) == at(2024, 3, 15));  // Friday again
}

TEST_CASE("cron: a day field starting with * keeps both day fields required (Vixie)") {
  // Odd days that are Mondays: March 2024 has Mondays on 4, 11, 18 and 25.
  CHECK(must_parse("0 0 */2 * mon").next_after(at(2024, 3, 1)) == at(2024, 3, 11));
  // `?` is croner's and Quartz's spelling of `*` for the day fields.
  CHECK(must_parse("0 0 ? * mon").next_after(at(2024, 3, 1)) == at(2024, 3, 4));
}

TEST_CASE("cron: a day-of-week step from 7 starts at Sunday") {
  // Found by the fuzzer: "7/7" was accepted as no day at all, so it never fired.
  CHECK(must_parse("0 7 * 1 7/7").next_after(at(2024, 1, 1)) == at(2024, 1, 7, 7, 0));
  CHECK(must_parse("0 0 * * 7/3").next_after(at(2024, 3, 4)) == at(2024, 3, 10));  // Sunday
}

TEST_CASE("cron: a date on a given weekday is found however many years away") {
  // Both day fields required (dow starts with *). Found by the fuzzer: these came back as
  // "never" (INT64_MAX), which overflows the daemon's timer arithmetic (next_s * 1000).
  const auto january_3rd_sunday = must_parse("0 4 3 1 */7");
  CHECK(january_3rd_sunday.next_after(at(2027, 1, 4)) == at(2038, 1, 3, 4, 0));  // 11 years
  const auto leap_day_sunday = must_parse("0 0 29 2 */7");
  CHECK(leap_day_sunday.next_after(at(2004, 3, 1)) == at(2032, 2, 29));
  CHECK(leap_day_sunday.next_after(at(2088, 3, 1)) == at(2128, 2, 29));  // 40 years, over 2100
}

TEST_CASE("cron: macros") {
  const std::int64_t now = at(2024, 3, 15, 12, 30);  // a Friday
  CHECK(must_parse("@hourly").next_after(now) == at(2024, 3, 15, 13));
  CHECK(must_parse("@daily").next_after(now) == at(2024, 3, 16));
  CHECK(must_parse("@midnight").next_after(now) == at(2024, 3, 16));
  CHECK(must_parse("@weekly").next_after(now) == at(2024, 3, 17));
  CHECK(must_parse("@monthly").next_after(now) == at(2024, 4, 1));
  CHECK(must_parse("@yearly").next_after(now) == at(2025, 1, 1));
  CHECK(must_parse("@annually").next_after(now) == at(2025, 1, 1));
}

TEST_CASE("cron: the wall clock is UTC shifted by the given offset") {
  const auto nine = must_parse("0 9 * * *");
  // UTC+2: 06:00 UTC is 08:00 local, so 09:00 local is 07:00 UTC.
  CHECK(nine.next_after(at(2024, 3, 15, 6), 2 * 3600) == at(2024, 3, 15, 7));
  // UTC-5: 15:00 UTC is 10:00 local, so the next 09:00 local is tomorrow 14:00 UTC.
  CHECK(nine.next_after(at(2024, 3, 15, 15), -5 * 3600) == at(2024, 3, 16, 14));
}

TEST_CASE("cron: whitespace between fields is free") {
  CHECK(must_parse("  */5\t*  * * *  ").next_after(at(2024, 3, 15, 12, 1)) ==
        at(2024, 3, 15, 12, 5));
}

// Checks next_after against a minute-by-minute scan with an independent predicate.
void check_against_scan(std::string_view pattern,
                        const std::function<bool(const std::tm&)>& match) {
  const auto schedule = must_parse(pattern);
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> start(at(2020, 1, 1), at(2030, 1, 1));
  for (int sample = 0; sample < 40; ++sample) {
    const std::int64_t after = start(random);
    std::int64_t expected = (after / 60 + 1) * 60;
    for (;; expected += 60) {
      const std::time_t time = expected;
      std::tm broken{};
      gmtime_r(&time, &broken);
      if (match(broken)) break;
    }
    INFO(pattern, " after ", after);
    CHECK(schedule.next_after(after) == expected);
  }
}

TEST_CASE("cron: agrees with a brute-force scan") {
  check_against_scan("*/7 3-5 * * *", [](const std::tm& t) {
    return t.tm_min % 7 == 0 && t.tm_hour >= 3 && t.tm_hour <= 5;
  });
  check_against_scan("15 */6 * * sat,sun", [](const std::tm& t) {
    return t.tm_min == 15 && t.tm_hour % 6 == 0 && (t.tm_wday == 0 || t.tm_wday == 6);
  });
  check_against_scan("0 0 1,15 * wed", [](const std::tm& t) {
    return t.tm_min == 0 && t.tm_hour == 0 && (t.tm_mday == 1 || t.tm_mday == 15 || t.tm_wday == 3);
  });
  check_against_scan("59 23 * * *",
                     [](const std::tm& t) { return t.tm_min == 59 && t.tm_hour == 23; });
}

TEST_CASE("cron: errors say what was wrong and what is accepted") {
  CHECK(parse_error("* * *") ==
        "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second minute hour "
        "day-of-month month day-of-week), got 3");
  CHECK(parse_error("* * * * * * *").ends_with("got 7"));
  CHECK(parse_error("").starts_with("empty pattern; expected 5 fields"));
  CHECK(parse_error("61 * * * *") == "minute field \"61\": 61 is out of range 0-59");
  CHECK(parse_error("60 * * * * *") == "second field \"60\": 60 is out of range 0-59");
  CHECK(parse_error("* 24 * * *") == "hour field \"24\": 24 is out of range 0-23");
  CHECK(parse_error("* * 0 * *") == "day-of-month field \"0\": 0 is out of range 1-31");
  CHECK(parse_error("* * * 13 *") == "month field \"13\": 13 is out of range 1-12");
  CHECK(parse_error("* * * * 8") == "day-of-week field \"8\": 8 is out of range 0-7");
  CHECK(parse_error("* * * foo *") ==
        "month field \"foo\": \"foo\" is not a number or a name (jan-dec)");
  CHECK(parse_error("* * * * funday") ==
        "day-of-week field \"funday\": \"funday\" is not a number or a name (sun-sat)");
  CHECK(parse_error("x * * * *") == "minute field \"x\": \"x\" is not a number");
  CHECK(parse_error("10-5 * * * *") == "minute field \"10-5\": range 10-5 goes backwards");
  CHECK(parse_error("*/0 * * * *") ==
        "minute field \"*/0\": step \"0\" must be a number from 1 to 60");
  CHECK(parse_error("*/ * * * *") ==
        "minute field \"*/\": step \"\" must be a number from 1 to 60");
  CHECK(parse_error("1,,2 * * * *") == "minute field \"1,,2\": empty list item");
  CHECK(parse_error("1- * * * *") == "minute field \"1-\": missing value in a range");
  CHECK(parse_error("? * * * *") == "minute field \"?\": \"?\" is not a number");
  CHECK(parse_error("0 0 30 2 *") == "day-of-month field \"30\" never occurs in month field \"2\"");
  CHECK(parse_error("0 0 31 apr,jun,sep,nov *") ==
        "day-of-month field \"31\" never occurs in month field \"apr,jun,sep,nov\"");
  CHECK(parse_error("@reboot").starts_with("unknown macro \"@reboot\"; expected @yearly"));
  CHECK_FALSE(CronSchedule::parse("nonsense"));  // no error pointer: still fine
}

TEST_CASE("cron: impossible day-of-month is fine when day-of-week can match") {
  // Mondays of February match, though February 30th never comes.
  CHECK(must_parse("0 0 30 2 mon").next_after(at(2024, 3, 1)) == at(2025, 2, 3));
}

}  // namespace
}  // namespace cxpm
