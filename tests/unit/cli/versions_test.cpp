#include "cxpm/cli/versions.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

TEST_CASE("--version names the running daemon's and keeper's versions only when they differ") {
  CHECK(versions_line("0.2.0", nullptr) == "cxpm 0.2.0");
  PingResult same{.pid = 10, .version = "0.2.0", .keeper_pid = 9, .keeper_version = "0.2.0"};
  CHECK(versions_line("0.2.0", &same) == "cxpm 0.2.0");
  PingResult older{.pid = 10, .version = "0.1.0", .keeper_pid = 9, .keeper_version = "0.1.0"};
  CHECK(versions_line("0.2.0", &older) ==
        "cxpm 0.2.0 (running: daemon 0.1.0, keeper 0.1.0; `cxpm update` moves them to this one)");
  PingResult updated{.pid = 10, .version = "0.2.0", .keeper_pid = 9, .keeper_version = "0.1.0"};
  CHECK(versions_line("0.2.0", &updated) ==
        "cxpm 0.2.0 (running: keeper 0.1.0; `cxpm update` moves them to this one)");
}

TEST_CASE("ping shows both pids, and versions that differ") {
  PingResult same{.pid = 10, .version = "0.2.0", .keeper_pid = 9, .keeper_version = "0.2.0"};
  CHECK(ping_line("0.2.0", same) == "pong: daemon pid 10, version 0.2.0, keeper pid 9");
  PingResult no_keeper{.pid = 10, .version = "0.2.0"};
  CHECK(ping_line("0.2.0", no_keeper) == "pong: daemon pid 10, version 0.2.0");
  PingResult older{.pid = 10, .version = "0.1.0", .keeper_pid = 9, .keeper_version = "0.0.9"};
  CHECK(ping_line("0.2.0", older) ==
        "pong: daemon pid 10, version 0.1.0, keeper pid 9, keeper version 0.0.9 (this cxpm is "
        "0.2.0)");
}
