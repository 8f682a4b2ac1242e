#include "cxpm/sys/user.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

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

TEST_CASE("run as: a user brings its groups and its identity variables") {
  if (::geteuid() != 0) return;  // only root may switch, so only root resolves these
  const auto root = resolve_run_as("root", "");
  REQUIRE(std::holds_alternative<RunAs>(root));
  const RunAs& run_as = std::get<RunAs>(root);
  // initgroups: the primary group is among the supplementary ones.
  CHECK(std::find(run_as.groups.begin(), run_as.groups.end(), 0u) != run_as.groups.end());
  CHECK(run_as.environment.at("USER") == "root");
  CHECK(run_as.environment.at("LOGNAME") == "root");
  CHECK_FALSE(run_as.environment.at("HOME").empty());
  CHECK_FALSE(run_as.environment.at("SHELL").empty());

  // A number without a passwd entry: no groups beyond its own, a home of "/".
  const auto unknown = resolve_run_as("4000001", "");
  REQUIRE(std::holds_alternative<RunAs>(unknown));
  CHECK(std::get<RunAs>(unknown).groups.empty());
  CHECK(std::get<RunAs>(unknown).environment.at("HOME") == "/");
  CHECK(std::get<RunAs>(unknown).environment.at("USER") == "4000001");

  // A group alone changes no user, so it brings no identity and no supplementary groups.
  const auto group_only = resolve_run_as("", "0");
  REQUIRE(std::holds_alternative<RunAs>(group_only));
  CHECK(std::get<RunAs>(group_only).groups.empty());
  CHECK(std::get<RunAs>(group_only).environment.empty());
}

TEST_CASE("user environment: the app's own values win, inherited ones are the user's") {
  RunAs run_as;
  run_as.uid = 4000002;
  run_as.environment = {{"HOME", "/home/app"}, {"USER", "app"}, {"LOGNAME", "app"}};
  // HOME came from the caller; USER the app set itself, even to the caller's own value.
  std::map<std::string, std::string> env{{"HOME", "/root"}, {"USER", "root"}, {"PATH", "/bin"}};
  add_user_environment(run_as, env, [](const std::string& name) { return name == "USER"; });
  CHECK(env.at("HOME") == "/home/app");
  CHECK(env.at("USER") == "root");
  CHECK(env.at("LOGNAME") == "app");  // absent: added
  CHECK(env.at("PATH") == "/bin");    // not an identity variable: untouched

  std::map<std::string, std::string> unchanged{{"HOME", "/x"}};
  add_user_environment(RunAs{}, unchanged, [](const std::string&) { return false; });
  CHECK(unchanged.at("HOME") == "/x");  // no user: nothing to give
}
