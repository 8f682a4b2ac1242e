// The notify settings: an app's (its options, or its `notify:` map), an ecosystem file's top
// level for its apps, and the daemon's cxpm.yaml; each refused with file:line:column.

#include "cxpm/config/notify_settings.hpp"

#include <doctest/doctest.h>

#include "cxpm/config/daemon_settings.hpp"
#include "ecosystem_testing.hpp"

namespace cxpm {
namespace {

using testing::error_of;
using testing::parse;
using testing::parse_one;
using namespace std::chrono_literals;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("notify: an app's map sets its notify options") {
  const AppSpec spec = parse_one(R"(apps:
  - script: /bin/sleep
    notify:
      events: [crash, errored]
      exec: "echo $CXPM_EVENT >> /tmp/events"
      webhook: http://127.0.0.1:9099/hook
      interval: 5s
      timeout: 2s
)");
  const NotifySettings settings = notify_settings_of(spec);
  CHECK(settings.events == std::vector<std::string>{"crash", "errored"});
  CHECK(settings.exec == "echo $CXPM_EVENT >> /tmp/events");
  CHECK(settings.webhook == "http://127.0.0.1:9099/hook");
  CHECK(settings.interval == 5s);
  CHECK(settings.timeout == 2s);
  CHECK(settings.wants("crash"));
  CHECK_FALSE(settings.wants("restart"));
  CHECK_FALSE(settings.wants("info"));
}

TEST_CASE("notify: the defaults tell every kind, coalesced over 30 s, hooks cut at 10 s") {
  const NotifySettings settings = notify_settings_of(AppSpec{});
  CHECK_FALSE(settings.has_hook());
  CHECK(settings.interval == 30s);
  CHECK(settings.timeout == 10s);
  for (std::string_view kind : kNotifyEventKinds) CHECK(settings.wants(kind));
}

TEST_CASE("notify: the file's top level is for its apps, key by key under their own") {
  const Ecosystem file = parse(R"(notify:
  exec: ./page.sh
  interval: 1m
apps:
  - name: a
    script: /bin/sleep
  - name: b
    script: /bin/sleep
    notify: {interval: 5s, events: [crash]}
)");
  INFO(testing::all_errors(file));
  REQUIRE(file.ok());
  REQUIRE(file.apps.size() == 2);
  CHECK(file.apps[0].notify_exec == "./page.sh");
  CHECK(file.apps[0].notify_interval == 60s);
  CHECK(file.apps[1].notify_exec == "./page.sh");
  CHECK(file.apps[1].notify_interval == 5s);
  CHECK(file.apps[1].notify_events == std::vector<std::string>{"crash"});
}

TEST_CASE("notify: bad settings are refused where they are written") {
  CHECK(error_of("apps:\n  - script: /bin/sleep\n    notify: {webhook: 'https://x.io/h'}\n") ==
        "eco.yaml:3:23: notify_webhook: https is not supported (cxpm has no TLS), got "
        "\"https://x.io/h\"; use an http:// URL, such as a relay on this machine");
  CHECK(contains(error_of("apps:\n  - script: /bin/sleep\n    notify:\n      exec: x\n"
                          "      events: [crash, crsh]\n"),
                 "eco.yaml:5:15: notify_events: unknown event \"crsh\" (expected crash, "));
  CHECK(contains(error_of("apps:\n  - script: /bin/sleep\n    notify: {exec: x, intervl: 5s}\n"),
                 "eco.yaml:3:23: unknown notify option 'intervl'"));
  CHECK(contains(error_of("apps:\n  - script: /bin/sleep\n    notify: {exec: x, interval: 0}\n"),
                 "eco.yaml:3:33: notify_interval: must be more than 0"));
  CHECK(contains(error_of("apps:\n  - script: /bin/sleep\n    notify: page-me\n"),
                 "eco.yaml:3:13: notify: expected a map"));
  CHECK(contains(error_of("notify: {webhook: 'ftp://h/x'}\napps:\n  - script: /bin/sleep\n"),
                 "eco.yaml:1:19: notify_webhook: expected an http:// URL"));
}

TEST_CASE("notify: settings without a hook are said to do nothing") {
  const Ecosystem file = parse("apps:\n  - script: /bin/sleep\n    notify: {events: [crash]}\n");
  REQUIRE(file.ok());
  REQUIRE(file.warnings.size() == 1);
  CHECK(contains(file.warnings.front().message, "no exec or webhook"));
}

TEST_CASE("cxpm.yaml: notify for the whole daemon") {
  const auto parsed = parse_daemon_settings(
      "# settings\nnotify:\n  webhook: http://127.0.0.1:9/h\n  events: [errored]\n", "cxpm.yaml");
  REQUIRE(parsed.ok());
  REQUIRE(parsed.settings.notify);
  CHECK(parsed.settings.notify->webhook == "http://127.0.0.1:9/h");
  CHECK(parsed.settings.notify->events == std::vector<std::string>{"errored"});
  CHECK(parsed.settings.notify->interval == 30s);
  CHECK_FALSE(parse_daemon_settings("# nothing yet\n", "cxpm.yaml").settings.notify);
}

TEST_CASE("cxpm.yaml: bad settings are refused with file:line:column, and give nothing") {
  const auto error = [](std::string_view text) {
    const auto parsed = parse_daemon_settings(text, "cxpm.yaml");
    REQUIRE(parsed.errors.size() == 1);
    CHECK_FALSE(parsed.settings.notify);
    return parsed.errors.front().format();
  };
  CHECK(error("notify:\n  webhook: https://h/x\n")
            .starts_with("cxpm.yaml:2:12: notify_webhook: https is not supported"));
  CHECK(error("notify:\n  events: [crash]\n") ==
        "cxpm.yaml:2:3: notify: needs exec or webhook (without either it tells nobody)");
  CHECK(error("notfy:\n  exec: x\n") ==
        "cxpm.yaml:1:1: unknown setting 'notfy'; did you mean 'notify'? (cxpm.yaml has: notify)");
  CHECK(error("notify:\n  exec: x\n  timeout: soon\n")
            .starts_with("cxpm.yaml:3:12: notify_timeout: expected a duration"));
  CHECK(error("notify: [\n").starts_with("cxpm.yaml:"));
}

}  // namespace
}  // namespace cxpm
