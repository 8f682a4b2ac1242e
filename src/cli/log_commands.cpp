// logs, flush, reloadLogs.

#include <fmt/color.h>
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/targets.hpp"
#include "cxpm/core/log_time.hpp"

namespace cxpm {
namespace {

constexpr std::string_view kTimestampFormat = "YYYY-MM-DD HH:mm:ss";
constexpr std::string_view kJsonTimeFormat = "YYYY-MM-DDTHH:mm:ss.SSSZ";

struct LogsOptions {
  std::string target;
  int lines = 15;
  bool err_only = false;
  bool out_only = false;
  bool raw = false;
  bool json = false;
  bool timestamp = false;
  bool nostream = false;
};

// One line as the reader sees it. Lines read back from plain files carry no time. The id,
// instance and time of a `log_type: json` line are as its file has them.
struct LogLine {
  std::string app;
  Json id;        // null when several instances share the file (merge_logs)
  Json instance;  // likewise
  std::string stream;
  Json time;  // unix ms, a string (from a `log_type: json` file), or null
  std::string message;
};

Json json_of(const std::optional<int>& value) {
  return value ? Json(*value) : Json();
}

std::string format_local(std::int64_t unix_ms, std::string_view format) {
  const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  return format_log_time(format, civil_time(local, static_cast<int>(unix_ms % 1000)));
}

fmt::text_style app_style(std::string_view app) {
  static constexpr std::array kColors{
      fmt::terminal_color::cyan,           fmt::terminal_color::magenta,
      fmt::terminal_color::blue,           fmt::terminal_color::green,
      fmt::terminal_color::yellow,         fmt::terminal_color::bright_cyan,
      fmt::terminal_color::bright_magenta, fmt::terminal_color::bright_blue};
  return fmt::fg(kColors[std::hash<std::string_view>{}(app) % kColors.size()]);
}

class LogPrinter {
 public:
  LogPrinter(const LogsOptions& options, Style style) : options_(options), style_(style) {}

  void print(const LogEvent& event) {
    if (const auto* tail = std::get_if<TailEvent>(&event)) {
      print_tail(*tail);
    } else {
      const auto& live = std::get<LiveEvent>(event);
      for (const auto& line : live.lines) {
        print_line({live.app, live.id, live.instance, live.stream, live.time_ms, line});
      }
    }
    std::fwrite(out_.data(), 1, out_.size(), stdout);
    std::fflush(stdout);
    out_.clear();
  }

 private:
  void print_tail(const TailEvent& event) {
    if (event.file != last_file_ && !options_.raw && !options_.json) {
      out_ += paint(fmt::format("==> {} <==", event.file), fmt::emphasis::faint) + "\n";
    }
    last_file_ = event.file;
    for (const auto& entry : event.lines) {
      LogLine line{event.app, json_of(event.id), json_of(event.instance), event.stream, Json(),
                   entry};
      if (event.json) read_json_line(line);
      print_line(line);
    }
  }

  // A `log_type: json` line says itself whose it is and when it was written.
  static void read_json_line(LogLine& line) {
    const Json object = Json::parse(line.message, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object() || !object.contains("message")) return;
    line.app = object.value("app", line.app);
    line.id = object.value("id", line.id);
    line.instance = object.value("instance", line.instance);
    line.stream = object.value("stream", line.stream);
    line.time = object.value("time", Json());
    line.message = object.value("message", std::string());
  }

  void print_line(const LogLine& line) {
    if (options_.json) {
      Json time = line.time;
      if (time.is_number_integer()) time = format_local(time.get<std::int64_t>(), kJsonTimeFormat);
      out_ += Json{{"app", line.app},       {"id", line.id}, {"instance", line.instance},
                   {"stream", line.stream}, {"time", time},  {"message", line.message}}
                  .dump(-1, ' ', false, Json::error_handler_t::replace);
      out_ += '\n';
      return;
    }
    if (options_.raw) {
      out_ += line.message;
      out_ += '\n';
      return;
    }
    if (options_.timestamp) {
      std::string time;
      if (line.time.is_number_integer()) {
        time = format_local(line.time.get<std::int64_t>(), kTimestampFormat);
      } else if (line.time.is_string()) {
        time = line.time.get<std::string>();
      }
      if (!time.empty()) out_ += paint(time, fmt::emphasis::faint) + " ";
    }
    const std::string who = line.instance.is_number()
                                ? fmt::format("{}:{}", line.app, line.instance.get<int>())
                                : line.app;
    const bool error = line.stream == "err";
    out_ += paint(who, app_style(line.app)) + " ";
    out_ += paint(error ? "err" : "out",
                  error ? fmt::fg(fmt::terminal_color::red) : fmt::emphasis::faint);
    out_ += " | ";
    out_ += line.message;
    out_ += '\n';
  }

  std::string paint(const std::string& text, fmt::text_style style) const {
    return style_.color ? fmt::format(style, "{}", text) : text;
  }

  const LogsOptions& options_;
  Style style_;
  std::string out_;
  std::string last_file_;
};

void run_logs(CommandContext& context, const LogsOptions& options,
              std::vector<std::string> targets = {}) {
  Client client = *Client::connect(context.home);
  // --err and --out together mean both, as neither does.
  const bool only_one = options.err_only != options.out_only;
  LogsArgs args;
  args.targets = targets.empty()
                     ? resolve_targets(client, {options.target.empty() ? "all" : options.target})
                     : std::move(targets);
  args.lines = options.lines;
  args.out = !only_one || options.out_only;
  args.err = !only_one || options.err_only;
  args.follow = !options.nostream;
  LogPrinter printer(options, context.out_style);
  std::variant<EmptyResult, ErrorBody> outcome;
  try {
    outcome =
        client.try_call<method::Logs>(args, [&](const LogEvent& event) { printer.print(event); });
  } catch (const CliError&) {
    if (options.nostream) throw;
    throw CliError("the daemon stopped; no more lines to follow");
  }
  if (auto* error = std::get_if<ErrorBody>(&outcome)) throw CliError(error->message);
}

void add_logs(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<LogsOptions>();
  auto* command = app.add_subcommand(
      "logs", "Print the last lines of apps' logs, then follow new lines until interrupted");
  if (!context.builds(*command)) return;
  command->add_option("target", options->target, "an app name, a process id, or 'all' (default)");
  command->add_option("--lines", options->lines, "how many last lines of each file to print")
      ->default_val(15)
      ->check(CLI::Range(0, 100000));
  command->add_flag("--err", options->err_only, "only stderr");
  command->add_flag("--out", options->out_only, "only stdout");
  command->add_flag("--raw", options->raw, "the lines alone, without app names");
  command->add_flag("--json", options->json,
                    "one JSON object per line: app, id, instance, stream, time, message");
  command->add_flag("--timestamp", options->timestamp, "prefix lines with the time they came");
  command->add_flag("--nostream", options->nostream, "print the last lines, then exit");
  command->callback([&context, options] { run_logs(context, *options); });
}

void add_flush(CLI::App& app, CommandContext& context) {
  auto targets = std::make_shared<std::vector<std::string>>();
  auto* command = app.add_subcommand("flush", "Empty the log files of apps (all apps by default)");
  command->add_option("targets", *targets, "app names, process ids, or 'all'");
  command->callback([&context, targets] {
    Client client = *Client::connect(context.home);
    FlushArgs args;
    if (!targets->empty()) args.targets = resolve_targets(client, *targets);
    for (const auto& path : client.call<method::Flush>(args).files) {
      fmt::print("emptied {}\n", path);
    }
  });
}

void add_reload_logs(CLI::App& app, CommandContext& context) {
  app.add_subcommand("reloadLogs",
                     "Reopen every log file (after an external logrotate moved them); "
                     "SIGUSR1 to the daemon does the same")
      ->alias("reload-logs")
      ->callback([&context] {
        Client client = *Client::connect(context.home);
        fmt::print("reopened {} log file(s)\n", client.call<method::ReloadLogs>().reopened);
      });
}

}  // namespace

void follow_logs(CommandContext& context, const std::vector<std::string>& targets) {
  LogsOptions options;
  options.lines = 0;
  if (!targets.empty()) run_logs(context, options, targets);
}

void register_log_commands(CLI::App& app, CommandContext& context) {
  add_logs(app, context);
  add_flush(app, context);
  add_reload_logs(app, context);
}

}  // namespace cxpm
