#pragma once
// Where `cxpm monit` draws what, for a terminal of a given size: rows for the processes and
// for the selected one's log lines, and the widths of the table's columns, the CPU and memory
// histories taking what the others leave. Pure arithmetic, so resizing is testable.

#include <cstddef>

namespace cxpm {

// The longest history a row shows (one sample a second: the last minute).
inline constexpr std::size_t kHistorySamples = 60;
// Smaller than this, the screen says it is too small instead of drawing.
inline constexpr int kMinMonitWidth = 40;
inline constexpr int kMinMonitHeight = 7;

// Widths the text columns need for the rows shown (their headers included).
struct TableWidths {
  std::size_t id = 2;
  std::size_t name = 4;
  std::size_t status = 6;
  std::size_t restarts = 1;
};

struct MonitColumns {
  std::size_t marker = 2;  // "> " before the selected row
  std::size_t id = 0;
  std::size_t name = 0;
  std::size_t status = 0;
  std::size_t restarts = 0;
  std::size_t uptime = 8;  // "23h 59m"
  std::size_t cpu = 5;     // "1600%"
  std::size_t cpu_history = 0;
  std::size_t memory = 10;  // "1023.9 MiB"
  std::size_t memory_history = 0;
};

struct MonitLayout {
  bool fits = false;  // false: too small; nothing below is set
  int width = 0;
  int height = 0;
  int title_row = 0;
  int header_row = 1;
  int first_process_row = 2;
  int process_rows = 0;
  int log_title_row = 0;
  int first_log_row = 0;
  int log_rows = 0;
  int message_row = 0;
  int help_row = 0;
  MonitColumns columns;
};

// The layout of a width x height terminal showing `processes` rows whose text columns need
// `widths`. Processes get the rows they need, but logs keep at least a third of the rest.
MonitLayout monit_layout(int width, int height, std::size_t processes, TableWidths widths);

// The first of `count` processes to show in `rows` rows so that `selected` is among them,
// moving as little as possible from `first` (the one shown first before).
std::size_t first_shown(std::size_t first, std::size_t selected, std::size_t rows,
                        std::size_t count);

}  // namespace cxpm
