#pragma once
// Cron schedules for cron_restart: Vixie cron's 5-field syntax, optionally with a leading
// seconds field as pm2 (croner) accepts. Pure: time comes in and goes out as unix seconds.

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

class CronSchedule {
 public:
  // Accepts "min hour dom month dow" or "sec min hour dom month dow", each field being `*`,
  // `?` (dom/dow), a number, a name (jan..dec, sun..sat), a range `a-b`, a step `*/n`,
  // `a-b/n` or `a/n`, or a comma list of those; day-of-week 7 is Sunday. Also @yearly,
  // @annually, @monthly, @weekly, @daily, @midnight and @hourly. Patterns that can never
  // fire (e.g. "0 0 30 2 *") are rejected. On failure returns nullopt and, if `error` is
  // given, says what was wrong and what is accepted.
  static std::optional<CronSchedule> parse(std::string_view pattern, std::string* error = nullptr);

  // The first matching second strictly after `after` (unix seconds). Fields are read on a
  // wall clock `utc_offset_seconds` east of UTC; the daemon passes local time's offset
  // (tm_gmtoff) now, so across a DST change one firing may be off by the change.
  std::int64_t next_after(std::int64_t after, int utc_offset_seconds = 0) const;

  bool has_seconds() const { return has_seconds_; }

 private:
  CronSchedule() = default;

  bool day_matches(int day_of_month, int day_of_week) const;

  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1..31
  std::bitset<13> months_;         // 1..12
  std::bitset<7> days_of_week_;    // 0..6, Sunday = 0
  // Vixie cron: a day field starting with `*` does not count as a restriction, and when both
  // day fields are restricted a day matching either one fires.
  bool day_of_month_star_ = true;
  bool day_of_week_star_ = true;
  bool has_seconds_ = false;
};

}  // namespace cxpm
