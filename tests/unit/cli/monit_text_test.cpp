#include "cxpm/cli/monit_text.hpp"

#include <doctest/doctest.h>

#include <string>

#include "cxpm/cli/terminal_text.hpp"

using namespace cxpm;

namespace {

MonitColumns columns_with_history(std::size_t history) {
  MonitColumns columns;
  columns.id = 2;
  columns.name = 6;
  columns.status = 7;
  columns.restarts = 1;
  columns.cpu_history = history;
  columns.memory_history = history;
  return columns;
}

ProcessInfo online_api() {
  ProcessInfo info;
  info.id = 3;
  info.name = "api";
  info.pid = 4321;
  info.status = Status::kOnline;
  info.restarts = 2;
  info.uptime_ms = 125000;
  info.cpu = 12.4;
  info.memory = 42 * 1024 * 1024;
  return info;
}

}  // namespace

TEST_CASE("monit text: the header names each column, histories only when shown") {
  CHECK(monit_header(columns_with_history(0), Glyphs::kUnicode) ==
        "  id name   status  ↺ uptime     cpu     memory");
  MonitColumns ascii = columns_with_history(14);
  ascii.restarts = 8;  // as wide as its header
  CHECK(monit_header(ascii, Glyphs::kAscii) ==
        "  id name   status  restarts uptime     cpu cpu history        memory memory history");
  // A history narrower than its header cuts the header.
  CHECK(monit_header(columns_with_history(4), Glyphs::kUnicode)
            .ends_with("cpu cpu      memory memo"));
}

TEST_CASE("monit text: a process row, its columns under the header's") {
  const MonitColumns columns = columns_with_history(4);
  const ProcessRowText row =
      monit_process_row(online_api(), columns, {0, 100}, {1, 2}, true, Glyphs::kAscii);
  CHECK(row.text == "> 3  api    online  2 2m 5s      12%   _#   42.0 MiB   :#");
  CHECK(row.text.substr(row.status_column, 6) == "online");
  CHECK(text_columns(row.text) == text_columns(monit_header(columns, Glyphs::kUnicode)));
}

TEST_CASE("monit text: a stopped process has no figures, and its name is made printable") {
  ProcessInfo stopped = online_api();
  stopped.pid = 0;
  stopped.status = Status::kStopped;
  stopped.name = "a\x1b[31mb";
  const ProcessRowText row =
      monit_process_row(stopped, columns_with_history(0), {}, {}, false, Glyphs::kUnicode);
  CHECK(row.text ==
        "  3  ab     stopped 2 -" + std::string(12, ' ') + "-" + std::string(10, ' ') + "-");
}

TEST_CASE("monit text: the log title spans the width and says when scrolled back") {
  const ProcessInfo api = online_api();
  const std::string title = monit_log_title(&api, 0, 30, Glyphs::kAscii);
  CHECK(title == "-- logs of api (id 3) --------");
  CHECK(text_columns(monit_log_title(&api, 0, 30, Glyphs::kUnicode)) == 30);
  CHECK(monit_log_title(&api, 7, 60, Glyphs::kAscii)
            .starts_with("-- logs of api (id 3), 7 lines back (End follows) "));
  CHECK(monit_log_title(nullptr, 0, 10, Glyphs::kAscii) == "-- logs --");
  CHECK(monit_log_title(&api, 0, 5, Glyphs::kAscii) == "-- lo");
}

TEST_CASE("monit text: the help line names every key when it has room") {
  const std::string help = monit_help(Glyphs::kAscii, 200);
  for (const char* key :
       {"Up/Down select", "r restart", "l reload", "s stop", "PgUp/PgDn", "Home/End", "q quit"}) {
    CHECK(help.find(key) != std::string::npos);
  }
  CHECK(monit_help(Glyphs::kUnicode, 200).starts_with("↑↓ select"));
}

TEST_CASE("monit text: a narrower help line keeps q and the actions") {
  for (const std::size_t width : {79, 60, 39}) {
    CAPTURE(width);
    const std::string help = monit_help(Glyphs::kUnicode, width);
    CHECK(text_columns(help) <= width);
    CHECK(help.find("q quit") != std::string::npos);
    CHECK(help.find("restart") != std::string::npos);
  }
  CHECK(monit_help(Glyphs::kAscii, 79).find("PgUp/PgDn scroll logs") != std::string::npos);
}
