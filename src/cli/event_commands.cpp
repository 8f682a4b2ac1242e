// events: the daemon's recent events across apps, then (--follow) new ones as they happen.

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"

namespace cxpm {
namespace {

struct EventsOptions {
  std::int64_t lines = 50;
  bool follow = false;
  bool json = false;
};

// "2026-05-01 13:02:03  web[0] (id 3)  crash  exited with code 1; restarting", as pm2.log.
std::string format_event(const DaemonEvent& event) {
  const auto seconds = static_cast<std::time_t>(event.time_ms / 1000);
  return fmt::format("{:%Y-%m-%d %H:%M:%S}  {}[{}] (id {})  {}  {}\n", fmt::localtime(seconds),
                     event.app, event.instance, event.id, event.event, event.message);
}

void run_events(CommandContext& context, const EventsOptions& options) {
  Client client = *Client::connect(context.home);
  EventsArgs args;
  args.lines = options.lines;
  args.follow = options.follow;
  std::variant<EmptyResult, ErrorBody> outcome;
  try {
    outcome = client.try_call<method::Events>(args, [&](const DaemonEvent& event) {
      const std::string line = options.json ? to_json(event).dump() + "\n" : format_event(event);
      std::fwrite(line.data(), 1, line.size(), stdout);
      if (options.follow) std::fflush(stdout);
    });
  } catch (const CliError&) {
    if (!options.follow) throw;
    throw CliError("the daemon stopped; no more events to follow");
  }
  if (auto* error = std::get_if<ErrorBody>(&outcome)) throw CliError(error->message);
}

}  // namespace

void register_event_commands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<EventsOptions>();
  auto* command = app.add_subcommand(
      "events", "Print the daemon's recent events across apps (starts, exits, restarts, health)");
  if (!context.builds(*command)) return;
  command->add_option("--lines", options->lines, "how many of the last events to print")
      ->default_val(50)
      ->check(CLI::Range(0, 100000));
  command->add_flag("-f,--follow", options->follow, "then print new events until interrupted");
  command->add_flag("--json", options->json,
                    "one JSON object per line: event, time, app, id, instance, pid, exit_code, "
                    "exit_signal, restarts, message");
  command->callback([&context, options] { run_events(context, *options); });
}

}  // namespace cxpm
