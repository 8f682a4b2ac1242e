#include "cxpm/config/systemd_unit.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

namespace cxpm {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

BootUnit packaged(UnitKind kind) {
  BootUnit unit;
  unit.path_env = "/usr/local/bin:/usr/bin:/bin";
  unit.executable = "/usr/bin/cxpm";
  unit.version = "0.1.0";
  unit.kind = kind;
  return unit;
}

TEST_CASE("the unit cxpm startup writes names its user, CXPM_HOME and binary") {
  const std::string text =
      systemd_unit_text({"alice", "/home/alice/.cxpm", "/usr/bin:/bin", "/usr/bin/cxpm", "0.1.0"});
  CHECK(text.starts_with("# Written by `cxpm startup`"));
  CHECK(has_line(text, "User=alice"));
  CHECK(has_line(text, "Environment=\"PATH=/usr/bin:/bin\" \"CXPM_HOME=/home/alice/.cxpm\""));
  CHECK(has_line(text, "ExecStart=\"/usr/bin/cxpm\" daemon --resurrect"));
  CHECK(has_line(text, "WantedBy=multi-user.target"));
  // systemd-analyze verify fails on a man page that is not installed, as from source.
  CHECK(text.find("Documentation=") == std::string::npos);
}

TEST_CASE("the packaged template runs the daemon as the instance's user, in its home") {
  const std::string text = systemd_unit_text(packaged(UnitKind::user_template));
  CHECK_FALSE(text.starts_with("# Written by `cxpm startup`"));  // unstartup leaves it alone
  CHECK(has_line(text, "User=%i"));
  CHECK(has_line(text, "Description=cxpm process manager for %i"));
  CHECK(has_line(text, "Environment=\"PATH=/usr/local/bin:/usr/bin:/bin\""));
  CHECK(text.find("CXPM_HOME=") == std::string::npos);  // HOME from User= gives ~/.cxpm
  CHECK(has_line(text, "ExecStart=\"/usr/bin/cxpm\" daemon --resurrect"));
  CHECK(has_line(text, "LimitNOFILE=infinity"));
  CHECK(has_line(text, "Documentation=man:cxpm(1)"));
  CHECK(has_line(text, "WantedBy=multi-user.target"));
}

TEST_CASE("the packaged user unit runs under the user's own manager") {
  const std::string text = systemd_unit_text(packaged(UnitKind::user_manager));
  CHECK(text.find("User=") == std::string::npos);
  CHECK(text.find("network-online.target") == std::string::npos);
  CHECK(text.find("LimitNOFILE") == std::string::npos);
  CHECK(has_line(text, "Type=notify"));
  CHECK(has_line(text, "ExecStart=\"/usr/bin/cxpm\" daemon --resurrect"));
  CHECK(has_line(text, "WantedBy=default.target"));
}

TEST_CASE("every kind keeps the service settings cxpm startup's unit has") {
  const std::string one_user =
      systemd_unit_text({"bob", "/home/bob/.cxpm", "/usr/bin", "/usr/bin/cxpm", "0.1.0"});
  for (UnitKind kind : {UnitKind::user_template, UnitKind::user_manager}) {
    const std::string text = systemd_unit_text(packaged(kind));
    for (const char* line : {"Type=notify", "KillMode=mixed", "Restart=on-failure", "RestartSec=1",
                             "Delegate=yes", "[Service]", "[Install]"}) {
      CHECK(has_line(one_user, line));
      CHECK(has_line(text, line));
    }
  }
}

TEST_CASE("a packaged unit still refuses a relative binary") {
  BootUnit unit = packaged(UnitKind::user_template);
  unit.executable = "bin/cxpm";
  CHECK_THROWS_AS(systemd_unit_text(unit), std::invalid_argument);
}

}  // namespace
}  // namespace cxpm
