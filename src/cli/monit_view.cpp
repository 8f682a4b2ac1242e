#include "cxpm/cli/monit_view.hpp"

#include <algorithm>
#include <limits>

#include "cxpm/cli/terminal_text.hpp"

namespace cxpm {
namespace {

constexpr double kNoProcess = std::numeric_limits<double>::quiet_NaN();

template <typename Ring>
std::vector<double> samples_of(const Ring& ring) {
  return {ring.begin(), ring.end()};
}

std::string who(const MonitCommand& command) {
  return command.name + " (id " + std::to_string(command.id) + ")";
}

}  // namespace

void MonitView::update(std::vector<ProcessInfo> processes) {
  const ProcessInfo* before = selected();
  const int selected_id = before ? before->id : -1;
  processes_ = std::move(processes);

  std::map<int, History> kept;
  for (const auto& process : processes_) {
    History& history = kept[process.id];
    if (auto found = history_.find(process.id); found != history_.end()) {
      history = std::move(found->second);
    }
    const bool running = process.pid > 0;
    history.cpu.push(running ? process.cpu : kNoProcess);
    history.memory.push(running ? static_cast<double>(process.memory) : kNoProcess);
  }
  history_ = std::move(kept);

  const auto same = std::ranges::find_if(
      processes_, [&](const ProcessInfo& process) { return process.id == selected_id; });
  if (same != processes_.end()) {
    selected_ = static_cast<std::size_t>(same - processes_.begin());
  } else {
    selected_ = processes_.empty() ? 0 : std::min(selected_, processes_.size() - 1);
  }
}

std::vector<double> MonitView::cpu_history(int id) const {
  const auto found = history_.find(id);
  return found == history_.end() ? std::vector<double>{} : samples_of(found->second.cpu);
}

std::vector<double> MonitView::memory_history(int id) const {
  const auto found = history_.find(id);
  return found == history_.end() ? std::vector<double>{} : samples_of(found->second.memory);
}

TableWidths MonitView::table_widths(std::string_view restarts_header) const {
  TableWidths widths{.id = 2, .name = 4, .status = 6, .restarts = text_columns(restarts_header)};
  for (const auto& process : processes_) {
    widths.id = std::max(widths.id, std::to_string(process.id).size());
    widths.name = std::max(widths.name, std::min(kLongestName, text_columns(process.name)));
    widths.status = std::max(widths.status, to_string(process.status).size());
    widths.restarts = std::max(widths.restarts, std::to_string(process.restarts).size());
  }
  return widths;
}

const ProcessInfo* MonitView::selected() const {
  return processes_.empty() ? nullptr : &processes_[selected_];
}

void MonitView::add_log_line(std::string line) {
  logs_.push_back(std::move(line));
  if (logs_.size() > kLogLines) logs_.pop_front();
  // Scrolled back, the view stays on the lines it shows while new ones come in below.
  if (log_scroll_ > 0) log_scroll_ = std::min(log_scroll_ + 1, logs_.size() - 1);
}

void MonitView::clear_logs() {
  logs_.clear();
  log_scroll_ = 0;
}

std::vector<std::string_view> MonitView::visible_logs(std::size_t rows) const {
  const std::size_t most_scroll = logs_.size() > rows ? logs_.size() - rows : 0;
  const std::size_t end = logs_.size() - std::min(log_scroll_, most_scroll);
  const std::size_t begin = end > rows ? end - rows : 0;
  return {logs_.begin() + static_cast<long>(begin), logs_.begin() + static_cast<long>(end)};
}

void MonitView::scroll_logs_by(long lines, std::size_t rows) {
  const long most_scroll = logs_.size() > rows ? static_cast<long>(logs_.size() - rows) : 0;
  const long scroll = std::clamp(static_cast<long>(log_scroll_) + lines, 0L, most_scroll);
  log_scroll_ = static_cast<std::size_t>(scroll);
}

MonitCommand MonitView::command_for(MonitAction action) const {
  MonitCommand command{.action = action};
  if (const ProcessInfo* process = selected()) {
    command.id = process->id;
    command.name = process->name;
  } else {
    command.action = MonitAction::kNone;
  }
  return command;
}

MonitCommand MonitView::answer_stop_question(MonitKey key) {
  MonitCommand asked = *stop_question_;
  stop_question_.reset();
  if (key == MonitKey::kConfirm) return asked;
  if (key == MonitKey::kQuit) return {.action = MonitAction::kQuit};
  message_ = "kept " + who(asked) + " running";
  return {};
}

MonitCommand MonitView::press(MonitKey key, std::size_t log_rows) {
  if (stop_question_) return answer_stop_question(key);
  const long page = static_cast<long>(std::max<std::size_t>(log_rows, 2) - 1);
  switch (key) {
    case MonitKey::kUp:
      if (selected_ > 0) --selected_;
      break;
    case MonitKey::kDown:
      if (selected_ + 1 < processes_.size()) ++selected_;
      break;
    case MonitKey::kPageUp:
      scroll_logs_by(page, log_rows);
      break;
    case MonitKey::kPageDown:
      scroll_logs_by(-page, log_rows);
      break;
    case MonitKey::kHome:
      scroll_logs_by(static_cast<long>(logs_.size()), log_rows);
      break;
    case MonitKey::kEnd:
      log_scroll_ = 0;
      break;
    case MonitKey::kRestart:
      return command_for(MonitAction::kRestart);
    case MonitKey::kReload:
      return command_for(MonitAction::kReload);
    case MonitKey::kStop: {
      // Stopping is the one key that takes an app down and leaves it down: it asks first.
      MonitCommand command = command_for(MonitAction::kStop);
      if (command.action == MonitAction::kStop) {
        message_ = "stop " + who(command) + "? y stops it, any other key keeps it running";
        stop_question_ = command;
      }
      break;
    }
    case MonitKey::kQuit:
      return {.action = MonitAction::kQuit};
    case MonitKey::kConfirm:
    case MonitKey::kOther:
      break;
  }
  return {};
}

}  // namespace cxpm
