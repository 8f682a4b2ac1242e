#include "cxpm/cli/render.hpp"

#include <fmt/chrono.h>
#include <fmt/color.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "cxpm/config/option_value.hpp"
#include "cxpm/config/units.hpp"

namespace cxpm {
namespace {

// Display columns of a UTF-8 string: one per code point, which holds for names and words.
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

fmt::text_style status_style(Status status) {
  switch (status) {
    case Status::kOnline:
      return fmt::fg(fmt::terminal_color::green) | fmt::emphasis::bold;
    case Status::kErrored:
    case Status::kUnhealthy:
      return fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
    case Status::kStopped:
      return fmt::fg(fmt::terminal_color::bright_black);
    default:
      return fmt::fg(fmt::terminal_color::yellow);
  }
}

struct Cell {
  std::string text;
  std::optional<fmt::text_style> style;
};

std::string paint(const Cell& cell, Style style) {
  if (!style.color || !cell.style) return cell.text;
  return fmt::format(*cell.style, "{}", cell.text);
}

std::string pad(const Cell& cell, std::size_t width, Style style) {
  return paint(cell, style) + std::string(width - display_width(cell.text), ' ');
}

std::string rule(const std::vector<std::size_t>& widths, std::string_view left,
                 std::string_view middle, std::string_view right) {
  std::string line(left);
  for (std::size_t i = 0; i < widths.size(); ++i) {
    for (std::size_t n = 0; n < widths[i] + 2; ++n) line += "─";
    line += i + 1 < widths.size() ? middle : right;
  }
  return line + "\n";
}

std::string format_timestamp(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  return fmt::format("{:%Y-%m-%d %H:%M:%S}", fmt::localtime(seconds));
}

}  // namespace

Style Style::for_stream(std::FILE* stream) {
  const char* no_color = std::getenv("NO_COLOR");
  return Style{::isatty(::fileno(stream)) == 1 && !(no_color && *no_color)};
}

std::string render_table(const std::vector<ProcessInfo>& processes, Style style) {
  // pm2's columns, namespace included.
  const std::vector<std::string> headers{"id", "name",   "namespace", "mode",   "pid",
                                         "↺",  "status", "cpu",       "memory", "uptime"};
  std::vector<std::vector<Cell>> rows;
  for (const auto& process : processes) {
    const bool running = process.pid > 0;
    rows.push_back({
        {std::to_string(process.id)},
        {process.name, fmt::emphasis::bold},
        {process.app_namespace},
        {to_string(process.exec_mode)},
        {running ? std::to_string(process.pid) : "-"},
        {std::to_string(process.restarts)},
        {std::string(to_string(process.status)) +
             (process.status_reason.starts_with("draining") ? " (draining)" : ""),
         status_style(process.status)},
        {running ? fmt::format("{:.0f}%", process.cpu) : "-"},
        {running ? format_bytes(process.memory) : "-"},
        {running ? format_duration(Milliseconds{process.uptime_ms}) : "-"},
    });
  }
  std::vector<std::size_t> widths;
  for (const auto& header : headers) widths.push_back(display_width(header));
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i].text));
    }
  }

  // Appended, or by fmt, never "literal" + std::string: GCC 12 at -O3 warns falsely on a
  // literal prepended to a std::string here (-Wrestrict, GCC bug 105329).
  std::string out = rule(widths, "┌", "┬", "┐");
  out += "│";
  for (std::size_t i = 0; i < headers.size(); ++i) {
    out += fmt::format(" {} │", pad({headers[i], fmt::emphasis::bold}, widths[i], style));
  }
  out += '\n';
  out += rule(widths, "├", "┼", "┤");
  for (const auto& row : rows) {
    out += "│";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += fmt::format(" {} │", pad(row[i], widths[i], style));
    out += "\n";
  }
  out += rule(widths, "└", "┴", "┘");
  if (processes.empty()) out += "No apps yet: start one with `cxpm start <script>`.\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> describe_spec_rows(const AppSpec& spec) {
  const auto shown = [&spec](std::string_view option) {
    return format_option(app_option(option), spec);
  };
  std::string command = spec.script;
  for (const auto& arg : spec.args) command += " " + arg;
  std::vector<std::pair<std::string, std::string>> rows{
      {"script", command},
      {"interpreter", spec.interpreter.empty() ? "(by extension)" : spec.interpreter},
      {"cwd", spec.cwd},
      {"autorestart", shown("autorestart")},
      {"kill", fmt::format("{} then SIGKILL after {}", spec.kill_signal, shown("kill_timeout"))},
  };
  // What else restarts the app, and as whom it runs: shown only when set.
  if (!spec.version.empty()) rows.emplace_back("version", spec.version);
  if (!spec.watch.empty()) rows.emplace_back("watch", shown("watch"));
  if (!spec.cron_restart.empty()) rows.emplace_back("cron restart", spec.cron_restart);
  if (!spec.rotate_interval.empty()) rows.emplace_back("log rotation", spec.rotate_interval);
  if (spec.max_memory_restart > 0) rows.emplace_back("memory limit", shown("max_memory_restart"));
  if (!spec.uid.empty() || !spec.gid.empty()) {
    rows.emplace_back("user", (spec.uid.empty() ? "(the daemon's)" : spec.uid) +
                                  (spec.gid.empty() ? "" : ", group " + spec.gid));
  }
  return rows;
}

std::string render_description(const ProcessInfo& info, const AppSpec& spec, Style style) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"status", std::string(to_string(info.status)) +
                     (info.status_reason.empty() ? "" : " (" + info.status_reason + ")")},
      {"name", info.name},
      {"namespace", info.app_namespace},
      {"id", std::to_string(info.id)},
      {"instance", std::to_string(info.instance)},
      {"pid", info.pid > 0 ? std::to_string(info.pid) : "-"},
      {"exec mode", std::string(to_string(info.exec_mode))},
      {"restarts", std::to_string(info.restarts)},
      {"unstable restarts", std::to_string(info.unstable_restarts)},
      {"uptime", info.pid > 0 ? format_duration(Milliseconds{info.uptime_ms}) : "-"},
      {"created at", format_timestamp(info.created_at_ms)},
      {"last exit", info.exit_signal ? "signal " + std::to_string(*info.exit_signal)
                    : info.exit_code ? "code " + std::to_string(*info.exit_code)
                                     : "-"},
      {"cpu", info.pid > 0 ? fmt::format("{:.1f}%", info.cpu) : "-"},
      {"memory", info.pid > 0 ? format_bytes(info.memory) : "-"},
      {"out log", info.out_log},
      {"error log", info.error_log},
  };
  if (!info.process_tracking.empty()) {
    fields.emplace_back("process tracking", info.process_tracking == "cgroup"
                                                ? "cgroup (every process it starts is in it)"
                                                : "environ (CXPM_SPAWN_ID in its environment)");
  }
  if (!info.memory_source.empty()) {
    fields.emplace_back("memory from", info.memory_source == "cgroup"
                                           ? "cgroup (memory.current: all its processes)"
                                           : "rss (the main process's resident memory)");
  }
  if (!info.health.empty()) fields.emplace_back("health", info.health);
  if (!info.connection_steering.empty()) {
    fields.emplace_back("connection steering", info.connection_steering);
  }
  for (auto& row : describe_spec_rows(spec)) fields.push_back(std::move(row));
  std::size_t width = 0;
  for (const auto& [key, _] : fields) width = std::max(width, key.size());

  std::string out = fmt::format("{} {}\n", paint({"Describing", fmt::emphasis::bold}, style),
                                paint({info.name, fmt::emphasis::bold}, style));
  for (const auto& [key, value] : fields) {
    const Cell cell = key == "status" ? Cell{value, status_style(info.status)} : Cell{value};
    out += fmt::format("  {:<{}}  {}\n", key, width, paint(cell, style));
  }
  if (!info.events.empty()) {
    out += paint({"Recent events", fmt::emphasis::bold}, style) + "\n";
    for (const auto& event : info.events) {
      out += fmt::format("  {}  {}\n", format_timestamp(event.at_ms), event.message);
    }
  }
  return out;
}

}  // namespace cxpm
