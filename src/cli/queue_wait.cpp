#include "cxpm/cli/queue_wait.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>

#include "cxpm/cli/client.hpp"
#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

// The daemon's bounds (protocol/requests.hpp): 30 s by default, at most 600 s.
constexpr double kDefaultSeconds = static_cast<double>(kDefaultQueueWait.count()) / 1000;
constexpr double kLongestSeconds = static_cast<double>(kLongestQueueWait.count()) / 1000;

// The wait in milliseconds the user chose, or -1 for the daemon's default.
long long chosen_ms(const WaitFlags& wait) {
  if (wait.none) return 0;
  if (!wait.given || wait.seconds.empty()) return -1;
  const double seconds = parse_whole<double>(wait.seconds).value_or(-1);
  if (!(seconds >= 0 && seconds <= kLongestSeconds)) {
    throw CliError("--wait takes seconds from 0 to 600, e.g. --wait=60; got '" + wait.seconds +
                   "'");
  }
  return std::llround(seconds * 1000);
}

}  // namespace

void add_queue_wait_options(CLI::App& command, const std::shared_ptr<WaitFlags>& wait) {
  auto* with_value =
      command
          .add_option_function<std::string>(
              "--wait",
              [wait](const std::string& seconds) {
                wait->given = true;
                wait->seconds = seconds;
              },
              "when another command holds the app, wait this long for it (default 30 s, at "
              "most 600; 0 refuses at once)")
          ->expected(0, 1)
          ->type_name("SECONDS");
  auto* without = command.add_flag_callback(
      "--no-wait", [wait] { wait->none = true; },
      "when another command holds the app, refuse at once");
  with_value->excludes(without);
}

void apply_wait(QueueWait& args, const WaitFlags& wait) {
  const long long ms = chosen_ms(wait);
  if (ms >= 0) args.queue_wait = std::chrono::milliseconds{ms};
}

std::string busy_advice(const std::string& message, const WaitFlags& wait) {
  const long long ms = chosen_ms(wait);
  const double waited = ms < 0 ? kDefaultSeconds : static_cast<double>(ms) / 1000;
  if (waited == 0) return message + " now, or add --wait to wait for it";
  const std::string seconds = fmt::format("{:g}", waited);
  if (waited >= kLongestSeconds) return message + " (this waited " + seconds + " s, the most)";
  return message + ", or wait longer than " + seconds + " s with --wait=SECONDS (at most 600)";
}

}  // namespace cxpm
