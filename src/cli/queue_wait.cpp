#include "cxpm/cli/queue_wait.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>

#include "cxpm/cli/client.hpp"
#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

// The daemon's bounds (daemon/commands.hpp): 30 s by default, at most 600 s.
constexpr double kDefaultSeconds = 30;
constexpr double kLongestSeconds = 600;

// The wait in milliseconds the user chose, or -1 for the daemon's default.
long long chosen_ms(const QueueWait& wait) {
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

void add_queue_wait_options(CLI::App& command, const std::shared_ptr<QueueWait>& wait) {
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

Json with_queue_wait(Json args, const QueueWait& wait) {
  const long long ms = chosen_ms(wait);
  if (ms >= 0) args["queue_wait_ms"] = ms;
  return args;
}

std::string busy_advice(const std::string& message, const QueueWait& wait) {
  const long long ms = chosen_ms(wait);
  const double waited = ms < 0 ? kDefaultSeconds : static_cast<double>(ms) / 1000;
  if (waited == 0) return message + " now, or add --wait to wait for it";
  const std::string seconds = fmt::format("{:g}", waited);
  if (waited >= kLongestSeconds) return message + " (this waited " + seconds + " s, the most)";
  return message + ", or wait longer than " + seconds + " s with --wait=SECONDS (at most 600)";
}

Json call_lifecycle(Client& client, const std::string& method, Json args, const QueueWait& wait) {
  Reply reply = client.call(method, with_queue_wait(std::move(args), wait));
  if (reply.ok()) return reply.result();
  if (reply.error().code == error_code::kBusy) {
    throw CliError(busy_advice(reply.error().message, wait));
  }
  throw CliError(reply.error().message);
}

}  // namespace cxpm
