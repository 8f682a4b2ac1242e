// cron_restart patterns come from ecosystem files and the command line, and the daemon
// computes the next firing from them on its loop. Besides crashes, sanitizer reports and
// hangs, it checks that a refusal says why, and that the next firing of an accepted pattern
// is later than the time asked about, within the 400 years next_after searches, is itself a
// firing, and is what a time between leads to.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "cxpm/config/cron.hpp"
#include "input.hpp"

namespace {

using cxpm::CronSchedule;

constexpr std::int64_t kDay = 24 * 60 * 60;
constexpr std::int64_t kYear = 366 * kDay;

void check_next(const CronSchedule& schedule, std::int64_t after, int offset) {
  const std::int64_t next = schedule.next_after(after, offset);
  if (next <= after) cxpm::fuzz::broken("the next firing is not after the time asked about");
  if (next - after > 400 * kYear) cxpm::fuzz::broken("an accepted pattern never fires");
  if (schedule.next_after(next - 1, offset) != next) {
    cxpm::fuzz::broken("the next firing is not a firing");
  }
  const std::int64_t middle = after + (next - after) / 2;
  if (schedule.next_after(middle, offset) != next) {
    cxpm::fuzz::broken("a time between has an earlier next firing");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view pattern = cxpm::fuzz::as_text(data, size);
  std::string error;
  const auto schedule = CronSchedule::parse(pattern, &error);
  if (schedule.has_value() != CronSchedule::parse(pattern).has_value()) {
    cxpm::fuzz::broken("parsing depends on whether an error is asked for");
  }
  if (!schedule) {
    if (error.empty()) cxpm::fuzz::broken("a refused pattern without a message");
    return 0;
  }
  // The daemon asks about "now" with local time's offset (tm_gmtoff, within -12h..+14h):
  // times from 1970 to 2200 and such offsets, drawn from the input so a finding reproduces.
  const std::uint64_t seed = cxpm::fuzz::fingerprint(pattern);
  const auto after = static_cast<std::int64_t>(seed % static_cast<std::uint64_t>(230 * kYear));
  const int offset = static_cast<int>((seed >> 40) % (26 * 3600 + 1)) - 12 * 3600;
  check_next(*schedule, after, offset);
  check_next(*schedule, 0, 0);
  check_next(*schedule, 951782400 - 1, 0);  // the last second of 2000-02-28 UTC
  return 0;
}
