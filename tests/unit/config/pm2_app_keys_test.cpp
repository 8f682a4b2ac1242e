// pm2's keys that change how an app is read: append_env_to_name, filter_env, force,
// watch_options.
#include "cxpm/config/pm2_app_keys.hpp"

#include <doctest/doctest.h>

#include "ecosystem_testing.hpp"

namespace cxpm {
namespace {

using testing::errors_of;
using testing::parse;
using testing::parse_one;

TEST_CASE("pm2 keys: append_env_to_name names the app after the profile, when there is one") {
  const char* file = "name: api\nscript: api.js\nappend_env_to_name: true\n";
  CHECK(parse_one(file, "production").name == "api-production");
  CHECK(parse_one(file).name == "api");
  CHECK(parse_one("name: api\nscript: api.js\nappend_env_to_name: false\n", "production").name ==
        "api");
  CHECK(errors_of("name: api\nscript: a.js\nappend_env_to_name: 3\n", "x")
            .front()
            .find("append_env_to_name: expected true or false") != std::string::npos);
}

TEST_CASE("pm2 keys: filter_env drops inherited variables, never the app's own") {
  const AppSpec prefixed =
      parse_one("script: a.js\nfilter_env: [SHA, PA]\nenv:\n  PATH_OWN: mine\n  SHARED_TOO: own\n");
  CHECK(prefixed.env.lookup("SHARED") == nullptr);
  CHECK(prefixed.env.lookup("PATH") == nullptr);
  REQUIRE(prefixed.env.lookup("HOME"));
  CHECK(*prefixed.env.lookup("HOME") == "/home/ada");
  CHECK(*prefixed.env.lookup("SHARED_TOO") == "own");
  CHECK(*prefixed.env.lookup("PATH_OWN") == "mine");

  const AppSpec everything = parse_one("script: a.js\nfilter_env: true\nenv:\n  OWN: 1\n");
  CHECK(everything.env.lookup("HOME") == nullptr);
  CHECK(*everything.env.lookup("OWN") == "1");

  const AppSpec off = parse_one("script: a.js\nfilter_env: false\n");
  CHECK(*off.env.lookup("SHARED") == "caller");
}

TEST_CASE("pm2 keys: force and watch_options load with a warning at the key") {
  const Ecosystem ecosystem =
      parse("script: a.js\nforce: true\nwatch_options:\n  usePolling: true\n  interval: 100\n");
  REQUIRE(ecosystem.ok());
  REQUIRE(ecosystem.warnings.size() == 2);
  CHECK(ecosystem.warnings[0].format().starts_with("eco.yaml:2:1: force: no effect"));
  CHECK(ecosystem.warnings[1].format().find("watch_options (usePolling, interval)") !=
        std::string::npos);
  CHECK(parse("script: a.js\nforce: false\n").warnings.empty());
}

TEST_CASE("pm2 keys: script_args is args; a near miss still gets did-you-mean") {
  CHECK(parse_one("script: a.js\nscript_args: --port 80\n").args ==
        std::vector<std::string>{"--port", "80"});
  CHECK(errors_of("script: a.js\nfilter_envs: true\n").front().find("did you mean 'filter_env'?") !=
        std::string::npos);
}

}  // namespace
}  // namespace cxpm
