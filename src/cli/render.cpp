#include "cxpm/cli/render.hpp"

#include <fmt/chrono.h>
#include <fmt/color.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

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

std::vector<ProcessInfo> processes_from(const Json& result) {
  std::vector<ProcessInfo> out;
  if (auto it = result.find("processes"); it != result.end() && it->is_array()) {
    for (const auto& item : *it) out.push_back(process_info_from_json(item));
  }
  return out;
}

std::string render_table(const std::vector<ProcessInfo>& processes, Style style) {
  const std::vector<std::string> headers{"id",     "name", "mode",   "pid",   "↺",
                                         "status", "cpu",  "memory", "uptime"};
  std::vector<std::vector<Cell>> rows;
  for (const auto& process : processes) {
    const bool running = process.pid > 0;
    rows.push_back({
        {std::to_string(process.id)},
        {process.name, fmt::emphasis::bold},
        {to_string(process.exec_mode)},
        {running ? std::to_string(process.pid) : "-"},
        {std::to_string(process.restarts)},
        {std::string(to_string(process.status)), status_style(process.status)},
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

  std::string out = rule(widths, "┌", "┬", "┐");
  out += "│";
  for (std::size_t i = 0; i < headers.size(); ++i) {
    out += " " + pad({headers[i], fmt::emphasis::bold}, widths[i], style) + " │";
  }
  out += "\n" + rule(widths, "├", "┼", "┤");
  for (const auto& row : rows) {
    out += "│";
    for (std::size_t i = 0; i < row.size(); ++i) out += " " + pad(row[i], widths[i], style) + " │";
    out += "\n";
  }
  out += rule(widths, "└", "┴", "┘");
  if (processes.empty()) out += "No apps yet: start one with `cxpm start <script>`.\n";
  return out;
}

std::string render_description(const ProcessInfo& info, const Json& spec, Style style) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"status", std::string(to_string(info.status))},
      {"name", info.name},
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
  if (spec.is_object()) {
    std::string command = spec.value("script", std::string());
    for (const auto& arg : spec.value("args", std::vector<std::string>{})) command += " " + arg;
    fields.emplace_back("script", command);
    fields.emplace_back("interpreter", spec.value("interpreter", std::string()).empty()
                                           ? "(by extension)"
                                           : spec.value("interpreter", std::string()));
    fields.emplace_back("cwd", spec.value("cwd", std::string()));
    fields.emplace_back("autorestart", spec.value("autorestart", true) ? "yes" : "no");
    fields.emplace_back("kill", fmt::format("{} then SIGKILL after {} ms",
                                            spec.value("kill_signal", std::string("SIGINT")),
                                            spec.value("kill_timeout", 0)));
    // What else restarts the app, and as whom it runs: shown only when set.
    std::string watched;
    for (const auto& path : spec.value("watch", std::vector<std::string>{})) {
      watched += (watched.empty() ? "" : ", ") + path;
    }
    if (!watched.empty()) fields.emplace_back("watch", watched);
    if (auto cron = spec.value("cron_restart", std::string()); !cron.empty()) {
      fields.emplace_back("cron restart", cron);
    }
    if (auto limit = spec.value("max_memory_restart", std::uint64_t{0}); limit > 0) {
      fields.emplace_back("memory limit", format_bytes(limit));
    }
    const std::string uid = spec.value("uid", std::string());
    const std::string gid = spec.value("gid", std::string());
    if (!uid.empty() || !gid.empty()) {
      fields.emplace_back(
          "user", (uid.empty() ? "(the daemon's)" : uid) + (gid.empty() ? "" : ", group " + gid));
    }
  }
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
