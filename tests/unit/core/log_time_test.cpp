#include "cxpm/core/log_time.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

namespace {

const CivilTime kMoment{2024, 5, 1, 13, 2, 3, 4, 120};

}  // namespace

TEST_CASE("log time: pm2's default for `time: true`") {
  CHECK(format_log_time(kDefaultLogDateFormat, kMoment) == "2024-05-01T13:02:03");
}

TEST_CASE("log time: moment tokens, longest first") {
  CHECK(format_log_time("YYYY-MM-DD HH:mm:ss.SSS Z", kMoment) == "2024-05-01 13:02:03.004 +02:00");
  CHECK(format_log_time("YY/M/D H:m:s", kMoment) == "24/5/1 13:2:3");
  CHECK(format_log_time("DD MMM YYYY hh:mm A", kMoment) == "01 May 2024 01:02 PM");
  CHECK(format_log_time("ZZ", CivilTime{2024, 1, 1, 0, 0, 0, 0, -330}) == "-0530");
  CHECK(format_log_time("h a", CivilTime{2024, 1, 1, 0, 0, 0, 0, 0}) == "12 am");
  CHECK(format_log_time("SS S", CivilTime{2024, 1, 1, 0, 0, 0, 987, 0}) == "98 9");
}

TEST_CASE("log time: bracketed text and other characters are copied") {
  CHECK(format_log_time("[at] HH[h] (x)", kMoment) == "at 13h (x)");
  CHECK(format_log_time("[ok", kMoment) == "[ok");
  CHECK(format_log_time("", kMoment).empty());
}

TEST_CASE("log time: from a broken-down time with its offset") {
  std::tm broken_down{};
  broken_down.tm_year = 124;
  broken_down.tm_mon = 4;
  broken_down.tm_mday = 1;
  broken_down.tm_hour = 13;
  broken_down.tm_gmtoff = 3600;
  const CivilTime time = civil_time(broken_down, 250);
  CHECK(time.year == 2024);
  CHECK(time.month == 5);
  CHECK(time.utc_offset_minutes == 60);
  CHECK(format_log_time("YYYY-MM-DDTHH:mm:ss.SSSZ", time) == "2024-05-01T13:00:00.250+01:00");
}
