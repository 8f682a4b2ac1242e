#include "cxpm/cli/monit_layout.hpp"

#include <algorithm>

namespace cxpm {
namespace {

// Rows that are always there: the title, the table's header, the log pane's title, the
// message line and the help line.
constexpr int kFixedRows = 5;
// A history narrower than this says nothing: both are left out.
constexpr std::size_t kNarrowestHistory = 4;

MonitColumns columns_for(int width, TableWidths widths) {
  MonitColumns columns;
  columns.id = widths.id;
  columns.name = widths.name;
  columns.status = widths.status;
  columns.restarts = widths.restarts;
  // Every column but the histories, with the space after each.
  const std::size_t fixed = columns.marker + columns.id + 1 + columns.name + 1 + columns.status +
                            1 + columns.restarts + 1 + columns.uptime + 1 + columns.cpu + 1 +
                            columns.memory;
  const auto total = static_cast<std::size_t>(width);
  if (total > fixed) {
    // Each history has a space before it.
    const std::size_t each = (total - fixed) / 2;
    const std::size_t history = each > 0 ? std::min(kHistorySamples, each - 1) : 0;
    if (history >= kNarrowestHistory) {
      columns.cpu_history = history;
      columns.memory_history = history;
    }
  }
  return columns;
}

}  // namespace

MonitLayout monit_layout(int width, int height, std::size_t processes, TableWidths widths) {
  MonitLayout layout;
  layout.width = width;
  layout.height = height;
  if (width < kMinMonitWidth || height < kMinMonitHeight) return layout;
  layout.fits = true;
  const int free_rows = height - kFixedRows;
  const int most_for_processes = std::max(1, free_rows - std::max(1, free_rows / 3));
  const int wanted = static_cast<int>(std::min<std::size_t>(processes, 10000));
  layout.process_rows = std::clamp(wanted, 1, most_for_processes);
  layout.log_title_row = layout.first_process_row + layout.process_rows;
  layout.first_log_row = layout.log_title_row + 1;
  layout.message_row = height - 2;
  layout.help_row = height - 1;
  layout.log_rows = layout.message_row - layout.first_log_row;
  layout.columns = columns_for(width, widths);
  return layout;
}

std::size_t first_shown(std::size_t first, std::size_t selected, std::size_t rows,
                        std::size_t count) {
  if (rows == 0 || count <= rows) return 0;
  first = std::min(first, count - rows);
  if (selected < first) return selected;
  if (selected >= first + rows) return selected - rows + 1;
  return first;
}

}  // namespace cxpm
