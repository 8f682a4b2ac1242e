#include "cxpm/cli/monit_view.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace cxpm;

namespace {

ProcessInfo process(int id, std::string name, int pid = 100, double cpu = 1,
                    std::uint64_t memory = 1024) {
  ProcessInfo info;
  info.id = id;
  info.name = std::move(name);
  info.pid = pid;
  info.status = pid > 0 ? Status::kOnline : Status::kStopped;
  info.cpu = cpu;
  info.memory = memory;
  return info;
}

MonitView view_of(std::vector<ProcessInfo> processes) {
  MonitView view;
  view.update(std::move(processes));
  return view;
}

std::vector<std::string> shown(const MonitView& view, std::size_t rows) {
  std::vector<std::string> lines;
  for (auto line : view.visible_logs(rows)) lines.emplace_back(line);
  return lines;
}

}  // namespace

TEST_CASE("monit view: each update adds a sample to each process's history") {
  MonitView view;
  view.update({process(0, "api", 100, 5, 2048), process(1, "worker", 0)});
  view.update({process(0, "api", 100, 7, 4096), process(1, "worker", 0)});
  CHECK(view.cpu_history(0) == std::vector<double>{5, 7});
  CHECK(view.memory_history(0) == std::vector<double>{2048, 4096});
  // Not running: gaps, not zeros.
  const auto stopped = view.cpu_history(1);
  REQUIRE(stopped.size() == 2);
  CHECK(std::isnan(stopped[0]));
  CHECK(view.cpu_history(7).empty());
}

TEST_CASE("monit view: the history keeps the last minute, and goes with its process") {
  MonitView view;
  for (int i = 0; i < 70; ++i) view.update({process(0, "api", 100, i)});
  const auto history = view.cpu_history(0);
  REQUIRE(history.size() == kHistorySamples);
  CHECK(history.front() == 10);
  CHECK(history.back() == 69);
  view.update({process(1, "other")});
  CHECK(view.cpu_history(0).empty());
}

TEST_CASE("monit view: the selection moves within the list and follows its process") {
  MonitView view = view_of({process(0, "a"), process(1, "b"), process(2, "c")});
  CHECK(view.selected()->id == 0);
  view.press(MonitKey::kUp, 10);
  CHECK(view.selected()->id == 0);
  view.press(MonitKey::kDown, 10);
  view.press(MonitKey::kDown, 10);
  view.press(MonitKey::kDown, 10);
  CHECK(view.selected()->id == 2);
  // A process before it went: still the same process selected.
  view.press(MonitKey::kUp, 10);
  view.update({process(1, "b"), process(2, "c")});
  CHECK(view.selected()->id == 1);
  // The selected process went: the row where it was.
  view.update({process(2, "c")});
  CHECK(view.selected()->id == 2);
  view.update({});
  CHECK(view.selected() == nullptr);
  CHECK(view.press(MonitKey::kRestart, 10).action == MonitAction::kNone);
}

TEST_CASE("monit view: restart and reload are for the selected process") {
  MonitView view = view_of({process(3, "api"), process(4, "worker")});
  view.press(MonitKey::kDown, 10);
  const MonitCommand restart = view.press(MonitKey::kRestart, 10);
  CHECK(restart.action == MonitAction::kRestart);
  CHECK(restart.id == 4);
  CHECK(restart.name == "worker");
  CHECK(view.press(MonitKey::kReload, 10).action == MonitAction::kReload);
  CHECK(view.press(MonitKey::kQuit, 10).action == MonitAction::kQuit);
}

TEST_CASE("monit view: stop asks first; only y stops") {
  MonitView view = view_of({process(3, "api")});
  CHECK(view.press(MonitKey::kStop, 10).action == MonitAction::kNone);
  CHECK(view.message() == "stop api (id 3)? y stops it, any other key keeps it running");
  const MonitCommand stop = view.press(MonitKey::kConfirm, 10);
  CHECK(stop.action == MonitAction::kStop);
  CHECK(stop.id == 3);

  view.press(MonitKey::kStop, 10);
  CHECK(view.press(MonitKey::kDown, 10).action == MonitAction::kNone);
  CHECK(view.message() == "kept api (id 3) running");
  CHECK(view.press(MonitKey::kConfirm, 10).action == MonitAction::kNone);  // asked no more

  view.press(MonitKey::kStop, 10);
  CHECK(view.press(MonitKey::kQuit, 10).action == MonitAction::kQuit);
}

TEST_CASE("monit view: logs follow the newest lines until scrolled back") {
  MonitView view = view_of({process(0, "api")});
  for (int i = 0; i < 10; ++i) view.add_log_line("line " + std::to_string(i));
  CHECK(shown(view, 3) == std::vector<std::string>{"line 7", "line 8", "line 9"});
  view.press(MonitKey::kPageUp, 3);  // a page is the pane's height less one
  CHECK(view.log_scroll() == 2);
  CHECK(shown(view, 3) == std::vector<std::string>{"line 5", "line 6", "line 7"});
  // New lines while scrolled back do not move what is shown.
  view.add_log_line("line 10");
  CHECK(shown(view, 3) == std::vector<std::string>{"line 5", "line 6", "line 7"});
  view.press(MonitKey::kHome, 3);
  CHECK(shown(view, 3) == std::vector<std::string>{"line 0", "line 1", "line 2"});
  view.press(MonitKey::kPageUp, 3);  // never past the oldest
  CHECK(shown(view, 3).front() == "line 0");
  view.press(MonitKey::kPageDown, 3);
  CHECK(shown(view, 3).front() == "line 2");
  view.press(MonitKey::kEnd, 3);
  CHECK(view.log_scroll() == 0);
  CHECK(shown(view, 3).back() == "line 10");
}

TEST_CASE("monit view: fewer lines than rows, a bounded buffer, and clearing") {
  MonitView view = view_of({process(0, "api")});
  view.add_log_line("only");
  view.press(MonitKey::kPageUp, 5);
  CHECK(view.log_scroll() == 0);
  CHECK(shown(view, 5) == std::vector<std::string>{"only"});
  for (std::size_t i = 0; i < MonitView::kLogLines + 5; ++i) view.add_log_line("x");
  CHECK(view.visible_logs(MonitView::kLogLines * 2).size() == MonitView::kLogLines);
  view.clear_logs();
  CHECK(view.visible_logs(5).empty());
}

TEST_CASE("monit view: the table's widths fit the longest values and the headers") {
  MonitView view = view_of({process(1234, "a-rather-long-app-name-beyond-any-width")});
  std::vector<ProcessInfo> processes = view.processes();
  processes[0].restarts = 12345;
  processes[0].status = Status::kWaitingRestart;
  view.update(processes);
  const TableWidths widths = view.table_widths("↺");
  CHECK(widths.id == 4);
  CHECK(widths.name == MonitView::kLongestName);
  CHECK(widths.status == std::string("waiting-restart").size());
  CHECK(widths.restarts == 5);
  CHECK(view_of({}).table_widths("restarts").restarts == 8);
}
