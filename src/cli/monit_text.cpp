#include "cxpm/cli/monit_text.hpp"

#include <fmt/format.h>

#include <iterator>

#include "cxpm/cli/terminal_text.hpp"
#include "cxpm/config/units.hpp"

namespace cxpm {
namespace {

// `text` in `columns`, then the space that separates columns.
void add_cell(std::string& line, std::string_view text, std::size_t columns) {
  line += pad_columns(text, columns);
  line += ' ';
}

void add_right(std::string& line, std::string_view text, std::size_t columns) {
  const std::size_t used = text_columns(text);
  if (used < columns) line.append(columns - used, ' ');
  line += fit_columns(text, columns);
  line += ' ';
}

}  // namespace

std::string restarts_header(Glyphs glyphs) {
  return glyphs == Glyphs::kUnicode ? "↺" : "restarts";
}

std::string monit_header(const MonitColumns& columns, Glyphs glyphs) {
  std::string line(columns.marker, ' ');
  add_cell(line, "id", columns.id);
  add_cell(line, "name", columns.name);
  add_cell(line, "status", columns.status);
  add_right(line, restarts_header(glyphs), columns.restarts);
  add_cell(line, "uptime", columns.uptime);
  add_right(line, "cpu", columns.cpu);
  if (columns.cpu_history > 0) add_cell(line, "cpu history", columns.cpu_history);
  add_right(line, "memory", columns.memory);
  if (columns.memory_history > 0) add_cell(line, "memory history", columns.memory_history);
  line.pop_back();
  return line;
}

ProcessRowText monit_process_row(const ProcessInfo& process, const MonitColumns& columns,
                                 const std::vector<double>& cpu_history,
                                 const std::vector<double>& memory_history, bool selected,
                                 Glyphs glyphs) {
  const bool running = process.pid > 0;
  ProcessRowText row;
  row.text.assign(columns.marker, ' ');
  if (selected && !row.text.empty()) row.text.front() = '>';
  add_cell(row.text, std::to_string(process.id), columns.id);
  add_cell(row.text, printable_text(process.name), columns.name);
  row.status_column = text_columns(row.text);
  add_cell(row.text, to_string(process.status), columns.status);
  add_right(row.text, std::to_string(process.restarts), columns.restarts);
  add_cell(row.text, running ? format_duration(Milliseconds{process.uptime_ms}) : "-",
           columns.uptime);
  add_right(row.text, running ? fmt::format("{:.0f}%", process.cpu) : "-", columns.cpu);
  if (columns.cpu_history > 0) {
    add_cell(row.text,
             sparkline(cpu_history, columns.cpu_history, spark_top(cpu_history, 100), glyphs),
             columns.cpu_history);
  }
  add_right(row.text, running ? format_bytes(process.memory) : "-", columns.memory);
  if (columns.memory_history > 0) {
    add_cell(
        row.text,
        sparkline(memory_history, columns.memory_history, spark_top(memory_history, 1), glyphs),
        columns.memory_history);
  }
  row.text.pop_back();
  return row;
}

std::string monit_log_title(const ProcessInfo* selected, std::size_t scroll, std::size_t width,
                            Glyphs glyphs) {
  const std::string rule = glyphs == Glyphs::kUnicode ? "─" : "-";
  std::string title = rule + rule + " ";
  if (selected) {
    title += fmt::format("logs of {} (id {})", printable_text(selected->name), selected->id);
  } else {
    title += "logs";
  }
  if (scroll > 0) title += fmt::format(", {} lines back (End follows)", scroll);
  title += ' ';
  std::string line(fit_columns(title, width));
  for (std::size_t used = text_columns(line); used < width; ++used) line += rule;
  return line;
}

std::string monit_help(Glyphs glyphs, std::size_t width) {
  const char* move = glyphs == Glyphs::kUnicode ? "↑↓" : "Up/Down";
  // From the whole to the least a narrow terminal still needs: how to quit first of all.
  const std::string variants[] = {
      fmt::format("{} select  r restart  l reload  s stop  PgUp/PgDn scroll logs  Home/End "
                  "oldest/newest  q quit",
                  move),
      fmt::format("{} select  r restart  l reload  s stop  PgUp/PgDn scroll logs  q quit", move),
      fmt::format("{} r restart l reload s stop PgUp/PgDn q quit", move),
      "q quit  r/l/s restart/reload/stop",
  };
  for (const auto& help : variants) {
    if (text_columns(help) <= width) return help;
  }
  return variants[std::size(variants) - 1];
}

}  // namespace cxpm
