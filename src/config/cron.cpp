#include "cxpm/config/cron.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <limits>
#include <span>
#include <vector>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames{"sun", "mon", "tue", "wed",
                                                    "thu", "fri", "sat"};

struct Field {
  std::string_view name;
  int min;
  int max;       // largest value accepted (7 for day-of-week, which means Sunday)
  int star_max;  // largest value `*` covers (6 for day-of-week, so 7 adds nothing)
  std::span<const std::string_view> names = {};  // names[i] stands for min + i
  std::string_view names_hint = {};
  bool question_mark = false;  // `?` is a synonym of `*`, as croner and Quartz allow
};

constexpr Field kSecond{"second", 0, 59, 59};
constexpr Field kMinute{"minute", 0, 59, 59};
constexpr Field kHour{"hour", 0, 23, 23};
constexpr Field kDayOfMonth{"day-of-month", 1, 31, 31, {}, {}, true};
constexpr Field kMonth{"month", 1, 12, 12, kMonthNames, "jan-dec"};
constexpr Field kDayOfWeek{"day-of-week", 0, 7, 6, kDayNames, "sun-sat", true};

constexpr std::string_view kFieldsHint =
    "expected 5 fields (minute hour day-of-month month day-of-week) "
    "or 6 (second minute hour day-of-month month day-of-week)";

struct Macro {
  std::string_view name;
  std::string_view pattern;
};
constexpr std::array<Macro, 7> kMacros{{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

std::vector<std::string_view> split(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find_first_of(separators, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  for (std::string_view part : split(text, " \t\n")) {
    if (!part.empty()) words.push_back(part);
  }
  return words;
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// Parses one field into a bit mask (bit v = value v). Returns an error message or "".
class FieldParser {
 public:
  FieldParser(const Field& field, std::string_view text) : field_(field), text_(text) {}

  std::string parse(std::uint64_t* mask) {
    *mask = 0;
    for (std::string_view item : split(text_, ",")) {
      if (item.empty()) return fail("empty list item");
      if (std::string error = parse_item(item, mask); !error.empty()) return error;
    }
    return "";
  }

 private:
  std::string parse_item(std::string_view item, std::uint64_t* mask) {
    std::string_view range = item;
    int step = 1;
    bool has_step = false;
    if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const std::string_view step_text = item.substr(slash + 1);
      const std::optional<int> parsed = parse_whole<int>(step_text);
      if (!parsed || *parsed < 1 || *parsed > field_.star_max - field_.min + 1) {
        return fail(fmt::format("step \"{}\" must be a number from 1 to {}", step_text,
                                field_.star_max - field_.min + 1));
      }
      step = *parsed;
      has_step = true;
    }
    int low = 0;
    int high = 0;
    if (range == "*" || (range == "?" && field_.question_mark)) {
      low = field_.min;
      high = field_.star_max;
    } else if (const std::size_t dash = range.find('-'); dash != std::string_view::npos) {
      if (std::string error = parse_value(range.substr(0, dash), &low); !error.empty()) {
        return error;
      }
      if (std::string error = parse_value(range.substr(dash + 1), &high); !error.empty()) {
        return error;
      }
      if (low > high) return fail(fmt::format("range {} goes backwards", range));
    } else {
      if (std::string error = parse_value(range, &low); !error.empty()) return error;
      // "5/15" means from 5 to the end, every 15 (Vixie cron and croner agree); day-of-week's
      // "7/2" starts past `*`'s end, at Sunday, which it must still include.
      high = has_step ? std::max(field_.star_max, low) : low;
    }
    for (int value = low; value <= high; value += step) {
      // Day-of-week 7 is Sunday; the field's values are stored modulo 7.
      const int bit = (field_.max == 7 && value == 7) ? 0 : value;
      *mask |= std::uint64_t{1} << bit;
    }
    return "";
  }

  std::string parse_value(std::string_view text, int* value) {
    if (text.empty()) return fail("missing value in a range");
    if (std::isalpha(static_cast<unsigned char>(text.front()))) {
      const std::string name = lower(text);
      for (std::size_t i = 0; i < field_.names.size(); ++i) {
        if (field_.names[i] == name) {
          *value = field_.min + static_cast<int>(i);
          return "";
        }
      }
      if (field_.names.empty()) return fail(fmt::format("\"{}\" is not a number", text));
      return fail(fmt::format("\"{}\" is not a number or a name ({})", text, field_.names_hint));
    }
    const std::optional<int> parsed = parse_whole<int>(text);
    if (!parsed) {
      return fail(fmt::format("\"{}\" is not a number", text));
    }
    *value = *parsed;
    if (*value < field_.min || *value > field_.max) {
      return fail(fmt::format("{} is out of range {}-{}", text, field_.min, field_.max));
    }
    return "";
  }

  std::string fail(std::string_view what) const {
    return fmt::format("{} field \"{}\": {}", field_.name, text_, what);
  }

  const Field& field_;
  std::string_view text_;
};

bool starts_unrestricted(std::string_view field_text) {
  return field_text.front() == '*' || field_text.front() == '?';
}

// Whether some chosen month has some chosen day of the month (February counts its 29th).
bool any_day_exists(std::uint64_t months, std::uint64_t days_of_month) {
  constexpr std::array<int, 13> kLongest{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int month = 1; month <= 12; ++month) {
    if (!(months >> month & 1)) continue;
    for (int day = 1; day <= kLongest[month]; ++day) {
      if (days_of_month >> day & 1) return true;
    }
  }
  return false;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t quotient = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

}  // namespace

std::optional<CronSchedule> CronSchedule::parse(std::string_view pattern, std::string* error) {
  const auto fail = [&](std::string message) -> std::optional<CronSchedule> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  std::vector<std::string_view> words = split_words(pattern);
  if (words.empty()) return fail(fmt::format("empty pattern; {}", kFieldsHint));
  if (words.size() == 1 && words[0].front() == '@') {
    const std::string name = lower(words[0]);
    for (const Macro& macro : kMacros) {
      if (macro.name == name) return parse(macro.pattern, error);
    }
    return fail(
        fmt::format("unknown macro \"{}\"; expected @yearly, @annually, @monthly, @weekly, @daily, "
                    "@midnight or @hourly",
                    words[0]));
  }
  if (words.size() != 5 && words.size() != 6) {
    return fail(fmt::format("{}, got {}", kFieldsHint, words.size()));
  }

  CronSchedule schedule;
  schedule.has_seconds_ = words.size() == 6;
  if (!schedule.has_seconds_) words.insert(words.begin(), "0");
  const std::array<const Field*, 6> fields{&kSecond,     &kMinute, &kHour,
                                           &kDayOfMonth, &kMonth,  &kDayOfWeek};
  std::array<std::uint64_t, 6> masks{};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (std::string message = FieldParser(*fields[i], words[i]).parse(&masks[i]);
        !message.empty()) {
      return fail(std::move(message));
    }
  }
  schedule.seconds_ = masks[0];
  schedule.minutes_ = masks[1];
  schedule.hours_ = masks[2];
  schedule.days_of_month_ = masks[3];
  schedule.months_ = masks[4];
  schedule.days_of_week_ = masks[5];
  schedule.day_of_month_star_ = starts_unrestricted(words[3]);
  schedule.day_of_week_star_ = starts_unrestricted(words[5]);

  // Only the day of the month can make a pattern impossible: with a restricted day of the
  // week too, either one matching is enough, and every month has every weekday.
  if (!schedule.day_of_month_star_ && schedule.day_of_week_star_ &&
      !any_day_exists(masks[4], masks[3])) {
    return fail(fmt::format("day-of-month field \"{}\" never occurs in month field \"{}\"",
                            words[3], words[4]));
  }
  return schedule;
}

bool CronSchedule::day_matches(int day_of_month, int day_of_week) const {
  const bool by_month = days_of_month_[day_of_month];
  const bool by_week = days_of_week_[day_of_week];
  if (day_of_month_star_ || day_of_week_star_) return by_month && by_week;
  return by_month || by_week;
}

std::int64_t CronSchedule::next_after(std::int64_t after, int utc_offset_seconds) const {
  using namespace std::chrono;
  constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;
  const std::int64_t wall = after + utc_offset_seconds + 1;
  const std::int64_t day_number = floor_div(wall, kSecondsPerDay);
  const std::int64_t second_of_day = wall - day_number * kSecondsPerDay;

  year_month_day date{sys_days{days{day_number}}};
  int hour = static_cast<int>(second_of_day / 3600);
  int minute = static_cast<int>(second_of_day / 60 % 60);
  int second = static_cast<int>(second_of_day % 60);

  // Each step moves to the start of the next candidate unit and resets the smaller ones.
  const auto next_month = [&] {
    const year_month following = year_month{date.year(), date.month()} + months{1};
    date = following / day{1};
    hour = minute = second = 0;
  };
  const auto next_day = [&] {
    date = year_month_day{sys_days{date} + days{1}};
    hour = minute = second = 0;
  };
  const auto next_hour = [&] {
    minute = second = 0;
    if (++hour == 24) next_day();
  };
  const auto next_minute = [&] {
    second = 0;
    if (++minute == 60) next_hour();
  };

  // parse() rejects patterns that never fire. The rarest that do need both day fields (one
  // starts with `*`): February 29th on a Sunday comes 28 to 40 years apart. The calendar,
  // weekdays included, repeats every 400 years, so a search that long finds every firing.
  const year last_year = date.year() + years{400};
  while (date.year() <= last_year) {
    if (!months_[static_cast<unsigned>(date.month())]) {
      next_month();
    } else if (!day_matches(static_cast<int>(static_cast<unsigned>(date.day())),
                            static_cast<int>(weekday{sys_days{date}}.c_encoding()))) {
      next_day();
    } else if (!hours_[hour]) {
      next_hour();
    } else if (!minutes_[minute]) {
      next_minute();
    } else if (!seconds_[second]) {
      if (++second == 60) next_minute();
    } else {
      const std::int64_t day_start = sys_days{date}.time_since_epoch().count() * kSecondsPerDay;
      return day_start + hour * 3600 + minute * 60 + second - utc_offset_seconds;
    }
  }
  return std::numeric_limits<std::int64_t>::max();  // unreachable for a parsed schedule
}

}  // namespace cxpm
