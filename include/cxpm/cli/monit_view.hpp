#pragma once
// What `cxpm monit` shows, apart from how it is drawn: the processes with their recent CPU and
// memory, which one is selected, its log lines and how far they are scrolled, the message
// line, and what each key does. No terminal and no daemon here, so every key is testable.

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/cli/monit_layout.hpp"
#include "cxpm/core/recent_ring.hpp"
#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

enum class MonitKey {
  kUp,
  kDown,
  kPageUp,    // logs: back a page
  kPageDown,  // logs: forward a page
  kHome,      // logs: the oldest line kept
  kEnd,       // logs: the newest, following again
  kRestart,
  kReload,
  kStop,
  kConfirm,  // 'y', after stop asked
  kQuit,
  kOther,
};

// What a key asks the loop to do.
enum class MonitAction { kNone, kQuit, kRestart, kReload, kStop };

struct MonitCommand {
  MonitAction action = MonitAction::kNone;
  int id = 0;  // the process it is for
  std::string name;
};

class MonitView {
 public:
  // Log lines kept for scrolling back.
  static constexpr std::size_t kLogLines = 1000;
  // Names longer than this are cut in the table.
  static constexpr std::size_t kLongestName = 24;

  // A new list from the daemon: each process's history gains a sample (NaN while it does not
  // run), processes gone lose theirs, and the selection stays on the same process id (or the
  // row where it was, when that process went).
  void update(std::vector<ProcessInfo> processes);

  const std::vector<ProcessInfo>& processes() const { return processes_; }
  // Oldest first; empty for an unknown id.
  std::vector<double> cpu_history(int id) const;
  std::vector<double> memory_history(int id) const;
  // What the table's text columns need, headers included (the header of restarts is
  // `restarts_header`).
  TableWidths table_widths(std::string_view restarts_header) const;

  // nullptr when there are no processes.
  const ProcessInfo* selected() const;
  std::size_t selected_index() const { return selected_; }

  // Appends a line of the selected process's log (already printable).
  void add_log_line(std::string line);
  // For another process's lines.
  void clear_logs();
  // The lines for `rows` rows, oldest first, as scrolled.
  std::vector<std::string_view> visible_logs(std::size_t rows) const;
  // How many lines the view is above the newest: 0 while it follows new lines.
  std::size_t log_scroll() const { return log_scroll_; }

  // Does what `key` means; `log_rows` is the height of the log pane (a page).
  MonitCommand press(MonitKey key, std::size_t log_rows);

  const std::string& message() const { return message_; }
  void set_message(std::string message) { message_ = std::move(message); }

 private:
  struct History {
    RecentRing<double, kHistorySamples> cpu;
    RecentRing<double, kHistorySamples> memory;
  };

  MonitCommand command_for(MonitAction action) const;
  MonitCommand answer_stop_question(MonitKey key);
  void scroll_logs_by(long lines, std::size_t rows);

  std::vector<ProcessInfo> processes_;
  std::map<int, History> history_;
  std::size_t selected_ = 0;
  std::deque<std::string> logs_;
  std::size_t log_scroll_ = 0;
  std::string message_;
  // Set while "stop …? y" waits for its answer: the process it asked about.
  std::optional<MonitCommand> stop_question_;
};

}  // namespace cxpm
