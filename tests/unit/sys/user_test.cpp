#include "cxpm/sys/user.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

using namespace cxpm;

TEST_CASE("run as: nothing asked, nothing to switch") {
  const auto run_as = resolve_run_as("", "");
  REQUIRE(std::holds_alternative<RunAs>(run_as));
  CHECK_FALSE(std::get<RunAs>(run_as).uid.has_value());
  CHECK_FALSE(std::get<RunAs>(run_as).gid.has_value());
}

TEST_CASE("run as: unknown names are errors that name them") {
  const auto user = resolve_run_as("no-such-user-cxpm", "");
  REQUIRE(std::holds_alternative<std::string>(user));
  CHECK(std::get<std::string>(user) == "uid: no user named 'no-such-user-cxpm' on this machine");
  const auto group = resolve_run_as("", "no-such-group-cxpm");
  REQUIRE(std::holds_alternative<std::string>(group));
  CHECK(std::get<std::string>(group) == "gid: no group named 'no-such-group-cxpm' on this machine");
}

TEST_CASE("run as: root (uid 0) resolves by name and number") {
  const auto by_name = resolve_run_as("root", "");
  const auto by_number = resolve_run_as("0", "0");
  if (::geteuid() == 0) {
    REQUIRE(std::holds_alternative<RunAs>(by_name));
    CHECK(std::get<RunAs>(by_name).uid == 0u);
    CHECK(std::get<RunAs>(by_name).gid == 0u);  // a user brings its primary group
    REQUIRE(std::holds_alternative<RunAs>(by_number));
    CHECK(std::get<RunAs>(by_number).uid == 0u);
  } else {
    // Not root: switching to another user is refused with the reason.
    REQUIRE(std::holds_alternative<std::string>(by_name));
    CHECK(std::get<std::string>(by_name).find("needs the daemon to run as root") !=
          std::string::npos);
  }
}

TEST_CASE("run as: naming ourselves needs no switch and no root") {
  const auto self = resolve_run_as(std::to_string(::geteuid()), "");
  REQUIRE(std::holds_alternative<RunAs>(self));
  if (::geteuid() != 0) CHECK_FALSE(std::get<RunAs>(self).uid.has_value());
}
