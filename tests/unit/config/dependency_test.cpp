// depends_on in ecosystem files: the entries as written, and the checks across apps, each
// refused at its file:line:column with nothing from the file used.

#include <doctest/doctest.h>

#include "cxpm/config/dependency_check.hpp"
#include "ecosystem_testing.hpp"

namespace cxpm {

using testing::error_of;
using testing::errors_of;
using testing::parse;

TEST_CASE("a bare name waits for ready; a map names its condition") {
  const Ecosystem file = parse(
      "apps:\n"
      "  - {name: db, script: /bin/sleep}\n"
      "  - {name: migrate, script: /bin/true, autorestart: false}\n"
      "  - name: api\n"
      "    script: /bin/sleep\n"
      "    depends_on: [db, {app: migrate, condition: completed}]\n"
      "    depends_timeout: 5s\n");
  INFO(testing::all_errors(file));
  REQUIRE(file.ok());
  const AppSpec& api = file.apps[2];
  REQUIRE(api.depends_on.size() == 2);
  const Dependency db{"db", DependencyCondition::kReady};
  const Dependency migrate{"migrate", DependencyCondition::kCompleted};
  CHECK(api.depends_on[0] == db);
  CHECK(api.depends_on[1] == migrate);
  CHECK(api.depends_timeout == Milliseconds{5000});
  CHECK(file.apps[0].depends_timeout == Milliseconds{60000});
  // One name alone is a list of one.
  CHECK(parse("apps:\n  - {name: a, script: x}\n  - {name: b, script: x, depends_on: a}\n")
            .apps[1]
            .depends_on.size() == 1);
}

TEST_CASE("a cycle is refused at its first edge, naming the cycle") {
  CHECK(error_of("apps:\n"
                 "  - name: a\n"
                 "    script: x\n"
                 "    depends_on: [b]\n"
                 "  - name: b\n"
                 "    script: x\n"
                 "    depends_on: [a]\n") == "eco.yaml:4:18: depends_on: a cycle: a → b → a");
  CHECK(error_of("apps:\n  - {name: a, script: x, depends_on: [a]}\n") ==
        "eco.yaml:2:39: depends_on: a cycle: a → a");
}

TEST_CASE("an app that is not in the file, and a bad condition, are refused where written") {
  CHECK(error_of("apps:\n  - {name: a, script: x, depends_on: [nope]}\n") ==
        "eco.yaml:2:39: depends_on: no app named 'nope' in this file");
  CHECK(error_of("apps:\n"
                 "  - {name: a, script: x}\n"
                 "  - name: b\n"
                 "    script: x\n"
                 "    depends_on:\n"
                 "      - {app: a, condition: soon}\n") ==
        "eco.yaml:6:29: depends_on: expected started, ready, healthy or completed, got \"soon\"");
  CHECK(error_of("apps:\n"
                 "  - {name: a, script: x}\n"
                 "  - {name: b, script: x, depends_on: [{app: a, when: now}]}\n") ==
        "eco.yaml:3:48: depends_on[0]: 'when' is not a key here (expected app and condition)");
  CHECK(error_of("apps:\n  - {name: b, script: x, depends_on: [{condition: ready}]}\n") ==
        "eco.yaml:2:39: depends_on[0]: 'app' is missing");
  CHECK(error_of("apps:\n  - {name: b, script: x, depends_on: {app: a}}\n") ==
        "eco.yaml:2:38: depends_on: expected a list of app names or {app, condition} maps, got "
        "a map");
}

TEST_CASE("healthy is refused on an app with no health check") {
  const std::string error = error_of(
      "apps:\n"
      "  - {name: a, script: x}\n"
      "  - {name: b, script: x, depends_on: [{app: a, condition: healthy}]}\n");
  CHECK(error.starts_with("eco.yaml:3:39: depends_on: 'a' has no health check"));
  CHECK(parse("apps:\n"
              "  - {name: a, script: x, health_check: {tcp: '127.0.0.1:1'}}\n"
              "  - {name: b, script: x, depends_on: [{app: a, condition: healthy}]}\n")
            .ok());
}

TEST_CASE("every problem is reported, and nothing of the file is used") {
  const auto errors = errors_of(
      "apps:\n"
      "  - {name: a, script: x, depends_on: [b, ghost]}\n"
      "  - {name: b, script: x, depends_on: [a]}\n");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "eco.yaml:2:39: depends_on: a cycle: a → b → a");
  CHECK(errors[1] == "eco.yaml:2:42: depends_on: no app named 'ghost' in this file");
}

TEST_CASE("the daemon's check knows the apps it already runs") {
  AppSpec web;
  web.name = "web";
  web.depends_on = {{"db", DependencyCondition::kStarted}};
  AppSpec db;
  db.name = "db";
  const auto none = dependency_problems({web}, nullptr, "here");
  REQUIRE(none.size() == 1);
  CHECK(none[0].message == "depends_on: no app named 'db' here");
  CHECK(dependency_problems(
            {web}, [&](const std::string& name) { return name == "db" ? &db : nullptr; }, "here")
            .empty());
}

}  // namespace cxpm
