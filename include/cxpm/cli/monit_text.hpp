#pragma once
// The lines `cxpm monit` draws, as text fitted to the layout's columns: the table's header and
// rows, the log pane's title and the help line. The screen only positions and colours them.

#include <cstddef>
#include <string>
#include <vector>

#include "cxpm/cli/monit_layout.hpp"
#include "cxpm/core/sparkline.hpp"
#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

// The header of the restarts column.
std::string restarts_header(Glyphs glyphs);

std::string monit_header(const MonitColumns& columns, Glyphs glyphs);

struct ProcessRowText {
  std::string text;
  std::size_t status_column = 0;  // where the status starts, for its colour
};

// One process: id, name, status, restarts, uptime, CPU and its history (against 100% of one
// CPU, or more when it used more), memory and its history (against its largest in the
// history, so growth shows).
ProcessRowText monit_process_row(const ProcessInfo& process, const MonitColumns& columns,
                                 const std::vector<double>& cpu_history,
                                 const std::vector<double>& memory_history, bool selected,
                                 Glyphs glyphs);

// "── logs of api (id 0) ──…" across `width` columns, saying when the view is scrolled back.
std::string monit_log_title(const ProcessInfo* selected, std::size_t scroll, std::size_t width,
                            Glyphs glyphs);

// The keys, as the bottom line shows them: all of them when `width` columns have room, fewer
// (q first among them) when not.
std::string monit_help(Glyphs glyphs, std::size_t width);

}  // namespace cxpm
