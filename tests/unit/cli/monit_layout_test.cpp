#include "cxpm/cli/monit_layout.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

namespace {
// Text columns of two short app names: fixed columns add up to 47.
constexpr TableWidths kTwoApps{.id = 2, .name = 6, .status = 7, .restarts = 1};
}  // namespace

TEST_CASE("monit layout: title, table, logs, message and help from top to bottom") {
  const MonitLayout layout = monit_layout(100, 30, 2, kTwoApps);
  REQUIRE(layout.fits);
  CHECK(layout.title_row == 0);
  CHECK(layout.header_row == 1);
  CHECK(layout.first_process_row == 2);
  CHECK(layout.process_rows == 2);
  CHECK(layout.log_title_row == 4);
  CHECK(layout.first_log_row == 5);
  CHECK(layout.message_row == 28);
  CHECK(layout.help_row == 29);
  CHECK(layout.log_rows == 23);
}

TEST_CASE("monit layout: many processes leave the logs a third of the free rows") {
  const MonitLayout layout = monit_layout(100, 35, 500, kTwoApps);
  REQUIRE(layout.fits);
  CHECK(layout.process_rows == 20);  // 30 free rows, 10 kept for logs
  CHECK(layout.log_rows == 10);
  const MonitLayout tiny = monit_layout(100, kMinMonitHeight, 5, kTwoApps);
  REQUIRE(tiny.fits);
  CHECK(tiny.process_rows == 1);
  CHECK(tiny.log_rows == 1);
}

TEST_CASE("monit layout: no processes still keeps a row for the note that says so") {
  const MonitLayout layout = monit_layout(80, 24, 0, kTwoApps);
  CHECK(layout.process_rows == 1);
}

TEST_CASE("monit layout: the histories share what the other columns leave, up to a minute") {
  CHECK(monit_layout(100, 30, 2, kTwoApps).columns.cpu_history == 25);  // (100 - 47) / 2 - 1
  CHECK(monit_layout(160, 30, 2, kTwoApps).columns.memory_history == 55);
  CHECK(monit_layout(400, 30, 2, kTwoApps).columns.cpu_history == kHistorySamples);
  // Too narrow for a useful history: none.
  const MonitLayout narrow = monit_layout(56, 30, 2, kTwoApps);
  CHECK(narrow.columns.cpu_history == 0);
  CHECK(narrow.columns.memory_history == 0);
  CHECK(monit_layout(57, 30, 2, kTwoApps).columns.cpu_history == 4);
}

TEST_CASE("monit layout: too small a terminal is said to be so") {
  CHECK_FALSE(monit_layout(kMinMonitWidth - 1, 30, 2, kTwoApps).fits);
  CHECK_FALSE(monit_layout(100, kMinMonitHeight - 1, 2, kTwoApps).fits);
  CHECK(monit_layout(kMinMonitWidth, kMinMonitHeight, 2, kTwoApps).fits);
}

TEST_CASE("first shown: the selection stays in view, scrolling as little as it can") {
  CHECK(first_shown(0, 3, 5, 3) == 0);    // everything fits
  CHECK(first_shown(0, 4, 5, 20) == 0);   // in view
  CHECK(first_shown(0, 5, 5, 20) == 1);   // one below: one row down
  CHECK(first_shown(10, 4, 5, 20) == 4);  // above: it becomes the first
  CHECK(first_shown(18, 19, 5, 20) == 15);
  CHECK(first_shown(3, 3, 0, 20) == 0);
}
