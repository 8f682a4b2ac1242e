// The broken-file corpus: each file gets the right message at the right place, every
// problem is reported, and nothing from a broken file is usable.
#include <doctest/doctest.h>

#include <random>

#include "cxpm/config/ecosystem.hpp"
#include "ecosystem_testing.hpp"

namespace cxpm {
namespace {

using testing::error_of;
using testing::errors_of;

// Wraps option lines into a one-app file; the options start on line 3, column 5.
std::string app_with(std::string_view options) {
  std::string text = "apps:\n  - script: a.js\n";
  std::size_t start = 0;
  while (start < options.size()) {
    const std::size_t end = options.find('\n', start);
    text += "    " + std::string(options.substr(start, end - start)) + "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return text;
}

TEST_CASE("broken: YAML syntax errors become located errors, never exceptions") {
  CHECK(error_of("apps:\n  - name: api\n    script: [a.js\n") ==
        "eco.yaml:4:1: invalid YAML: end of sequence flow not found");
  CHECK(error_of("apps:\n  - name: api\n\tscript: a.js\n") ==
        "eco.yaml:3:1: invalid YAML: illegal tab when looking for indentation");
  CHECK(error_of(R"({"apps": [{"name": "api" "script": "a.js"}]})") ==
        "eco.yaml:1:26: invalid YAML: end of map flow not found");
  CHECK(error_of(R"({"apps": [{"name": "api", "script": "a.js",,}]})") ==
        "eco.yaml:1:44: an app: a key is missing (a stray ',' or ':'?)");
}

TEST_CASE("broken: the file's shape") {
  CHECK(error_of("") == "eco.yaml:1:1: the file is empty; expected 'apps:' with a list of apps");
  CHECK(error_of("# only a comment\n") ==
        "eco.yaml:1:1: the file is empty; expected 'apps:' with a list of apps");
  CHECK(error_of("just a string\n") ==
        "eco.yaml:1:1: expected a map with 'apps:' (a list of apps), got \"just a string\"");
  CHECK(error_of("apps: []\n") ==
        "eco.yaml:1:7: apps: the list is empty; add at least one app with a 'script'");
  CHECK(error_of("[]\n") == "eco.yaml:1:1: the list of apps is empty; add at least one app");
  CHECK(error_of("apps:\n") == "eco.yaml:1:1: apps: expected a list of apps, got nothing");
  CHECK(error_of("apps: nope\n") == "eco.yaml:1:7: apps: expected a list of apps, got \"nope\"");
  CHECK(error_of("apps:\n  - a.js\n") ==
        "eco.yaml:2:5: each app must be a map of options, got \"a.js\"");
  CHECK(error_of("app:\n  - script: a.js\n") ==
        "eco.yaml:1:1: unknown option 'app'; did you mean 'apps'?");
  CHECK(error_of("apps:\n  - script: a.js\ndeploi: {}\n") ==
        "eco.yaml:3:1: unknown top-level key 'deploi'; did you mean 'deploy'?");
  CHECK(error_of("apps:\n  - script: a.js\nscript: b\n") ==
        "eco.yaml:3:1: unknown top-level key 'script' (app options go inside 'apps:')");
}

TEST_CASE("broken: unknown keys, with a suggestion when one is close") {
  CHECK(error_of(app_with("instance: 2")) ==
        "eco.yaml:3:5: unknown option 'instance'; did you mean 'instances'?");
  CHECK(error_of(app_with("watchdelay: 100")) ==
        "eco.yaml:3:5: unknown option 'watchdelay'; did you mean 'watch_delay'?");
  CHECK(error_of(app_with("maxMemoryRestart: 1G")) ==
        "eco.yaml:3:5: unknown option 'maxMemoryRestart'; did you mean 'max_memory_restart'?");
  CHECK(error_of(app_with("max_memory: 1G")) ==
        "eco.yaml:3:5: unknown option 'max_memory'; did you mean 'max_memory_restart'?");
  CHECK(error_of(app_with("autorestrat: false")) ==
        "eco.yaml:3:5: unknown option 'autorestrat'; did you mean 'autorestart'?");
  CHECK(error_of(app_with("Script: b.js")) ==
        "eco.yaml:3:5: unknown option 'Script'; did you mean 'script'?");
  CHECK(error_of(app_with("env-production: {A: 1}")) ==
        "eco.yaml:3:5: unknown option 'env-production'; did you mean 'env_production'?");
  CHECK(error_of(app_with("flux_capacitor: 1")) == "eco.yaml:3:5: unknown option 'flux_capacitor'");
  CHECK(error_of(app_with("xyz: 1")) == "eco.yaml:3:5: unknown option 'xyz'");
}

TEST_CASE("broken: pm2 options cxpm does not have are named as such") {
  CHECK(error_of(app_with("install_url: x")) ==
        "eco.yaml:3:5: 'install_url' is a pm2 option cxpm does not support");
  CHECK(error_of(app_with("disable_logs: true")) ==
        "eco.yaml:3:5: 'disable_logs' is a pm2 option cxpm does not support; set out_file and "
        "error_file to /dev/null instead");
}

TEST_CASE("broken: repeated keys and aliases of one option") {
  CHECK(error_of(app_with("script: b.js")) ==
        "eco.yaml:3:5: 'script' is given twice in an app (first at line 2)");
  CHECK(error_of(app_with("exec: b.js")) ==
        "eco.yaml:3:5: 'script' and 'exec' are the same option; give only one");
  CHECK(error_of(app_with("env:\n  A: 1\n  A: 2")) ==
        "eco.yaml:5:7: 'A' is given twice in env (first at line 4)");
}

TEST_CASE("broken: wrong types say what is accepted") {
  CHECK(error_of(app_with("instances: many")) ==
        "eco.yaml:3:16: instances: expected a number, \"max\", or a negative number (CPUs minus "
        "n), got \"many\"");
  CHECK(error_of(app_with("instances: 100000")) ==
        "eco.yaml:3:16: instances: must be from -1024 to 1024, got 100000");
  CHECK(error_of(app_with("autorestart: maybe")) ==
        "eco.yaml:3:18: autorestart: expected true or false, got \"maybe\"");
  CHECK(error_of(app_with("args: {a: 1}")) ==
        "eco.yaml:3:11: args: expected a list of strings or a string of words, got a map");
  CHECK(error_of(app_with("args: [a, [b]]")) ==
        "eco.yaml:3:15: args[1]: expected a string, got a list");
  CHECK(error_of(app_with("args: \"unterminated 'quote\"")) ==
        "eco.yaml:3:11: args: unterminated single quote in \"unterminated 'quote\"");
  CHECK(error_of(app_with("interpreter_args: '\"open'")) ==
        "eco.yaml:3:23: interpreter_args: unterminated double quote in \"\"open\"");
  CHECK(error_of(app_with("max_restarts: 1.5")) ==
        "eco.yaml:3:19: max_restarts: expected a whole number, got \"1.5\"");
  CHECK(error_of(app_with("name: [a]")) == "eco.yaml:3:11: name: expected a string, got a list");
  CHECK(error_of(app_with("cwd:")) == "eco.yaml:3:5: cwd: expected a string, got nothing");
  CHECK(error_of(app_with("exec_mode: forky")) ==
        "eco.yaml:3:16: exec_mode: expected \"fork\" or \"cluster\", got \"forky\"");
  CHECK(error_of(app_with("log_type: text")) ==
        "eco.yaml:3:15: log_type: expected \"json\" (leave it out for plain text), got \"text\"");
  CHECK(error_of(app_with("socket_mode: both")) ==
        "eco.yaml:3:18: socket_mode: expected \"shared\" or \"reuseport\", got \"both\"");
  CHECK(error_of(app_with("kill_signal: SIGFOO")) ==
        "eco.yaml:3:18: kill_signal: expected a signal name like \"SIGTERM\" or \"TERM\", or its "
        "number, got \"SIGFOO\"");
  CHECK(error_of(app_with("kill_signal: 99")).ends_with("got \"99\""));
  CHECK(error_of(app_with("listen: 'host:'")) ==
        "eco.yaml:3:13: listen: 'host:': expected a port from 1 to 65535, as \"3000\", "
        "\"127.0.0.1:3000\" or \"[::1]:3000\", or a unix socket path");
  CHECK(error_of(app_with("listen: 70000")).find("'70000'") != std::string::npos);
  CHECK(error_of(app_with("port: 0")) == "eco.yaml:3:11: port: must be from 1 to 65535, got 0");
  CHECK(error_of(app_with("stop_exit_codes: [0, 300]")) ==
        "eco.yaml:3:22: stop_exit_codes: expected exit codes from 0 to 255, got \"300\"");
  CHECK(error_of(app_with("watch: ['']")) == "eco.yaml:3:12: watch: paths must not be empty");
  CHECK(error_of(app_with("ignore_watch: {a: 1}")) ==
        "eco.yaml:3:19: ignore_watch: expected a string or a list of strings, got a map");
  CHECK(error_of(app_with("uid: ''")) == "eco.yaml:3:10: uid: must not be empty");
  CHECK(error_of(app_with("instance_var: ''")) == "eco.yaml:3:19: instance_var: must not be empty");
  CHECK(error_of(app_with("<<: 5")) ==
        "eco.yaml:3:9: '<<' in an app expects a map or a list of maps, got \"5\"");
  CHECK(error_of(app_with("? [a]\n: 1")) ==
        "eco.yaml:3:7: an app: keys must be plain names, got a list");
}

TEST_CASE("broken: merge keys") {
  CHECK(error_of("apps:\n  - &a\n    script: x\n    <<: *a\n") ==
        "eco.yaml:2:5: '<<' in an app merges a map into itself");
  // A mistake in shared settings is reported once, where it is, not once per app.
  CHECK(error_of("x-defaults: &d\n  bogus: 1\napps:\n  - {<<: *d, script: a}\n"
                 "  - {<<: *d, script: b}\n") == "eco.yaml:2:3: unknown option 'bogus'");
}

TEST_CASE("broken: env maps") {
  CHECK(error_of(app_with("env: [A=1]")) ==
        "eco.yaml:3:10: env: expected a map of variables (NAME: value), got a list");
  CHECK(error_of(app_with("env:\n  A: {b: 1}")) ==
        "eco.yaml:4:10: env.A: expected a string, number or boolean, got a map");
  CHECK(error_of(app_with("env:\n  'A=B': 1")) ==
        "eco.yaml:4:7: env: \"A=B\" is not a valid variable name");
  // A broken profile is an error even when another profile (or none) is selected.
  CHECK(error_of(app_with("env_production: nope")) ==
        "eco.yaml:3:21: env_production: expected a map of variables (NAME: value), got \"nope\"");
}

TEST_CASE("broken: bad units") {
  CHECK(error_of(app_with("kill_timeout: 5 parsecs")) ==
        "eco.yaml:3:19: kill_timeout: expected a duration: a number of milliseconds or a number "
        "with a unit (ms, s, m, h, d) like \"5s\", got \"5 parsecs\"");
  CHECK(error_of(app_with("kill_timeout: -5")) ==
        "eco.yaml:3:19: kill_timeout: must not be negative, got \"-5\"");
  CHECK(error_of(app_with("min_uptime: soon"))
            .starts_with("eco.yaml:3:17: min_uptime: expected a duration"));
  CHECK(error_of(app_with("max_memory_restart: 1.5 bananas")) ==
        "eco.yaml:3:25: max_memory_restart: expected a size: a number of bytes or a number with "
        "a unit (K, M, G) like \"300M\", got \"1.5 bananas\"");
  CHECK(
      error_of(app_with("max_size: -1M")).starts_with("eco.yaml:3:15: max_size: expected a size"));
}

TEST_CASE("broken: bad cron patterns carry the parser's message") {
  CHECK(error_of(app_with("cron_restart: '* * *'")) ==
        "eco.yaml:3:19: cron_restart: bad cron pattern \"* * *\": expected 5 fields (minute hour "
        "day-of-month month day-of-week) or 6 (second minute hour day-of-month month "
        "day-of-week), got 3");
  CHECK(error_of(app_with("cron: '61 * * * *'")) ==
        "eco.yaml:3:11: cron: bad cron pattern \"61 * * * *\": minute field \"61\": 61 is out of "
        "range 0-59");
}

TEST_CASE("broken: negative counts") {
  CHECK(error_of(app_with("max_restarts: -1")) ==
        "eco.yaml:3:19: max_restarts: must not be negative, got -1");
  CHECK(error_of(app_with("restart_budget: -3")) ==
        "eco.yaml:3:21: restart_budget: must not be negative, got -3");
  CHECK(error_of(app_with("retain: -1")) == "eco.yaml:3:13: retain: must not be negative, got -1");
}

TEST_CASE("broken: names") {
  CHECK(error_of("apps:\n  - name: api\n    script: a.js\n  - name: api\n    script: b.js\n") ==
        "eco.yaml:4:11: duplicate app name 'api' (first defined at line 2)");
  CHECK(error_of("apps:\n  - script: a.js\n  - script: ./lib/a.py\n") ==
        "eco.yaml:3:5: duplicate app name 'a' (first defined at line 2); it comes from the "
        "script: set 'name' to tell the apps apart");
  // The rules are app_name_problem's; these show they apply to given and default names.
  CHECK(error_of("apps:\n  - name: all\n    script: a.js\n") ==
        "eco.yaml:2:11: name: 'all' means every app; pick another name");
  CHECK(error_of("apps:\n  - name: '12'\n    script: a.js\n") ==
        "eco.yaml:2:11: name: '12' would read as a process id; use a name with a letter");
  CHECK(error_of("apps:\n  - name: a/b\n    script: a.js\n")
            .starts_with("eco.yaml:2:11: name: 'a/b' has characters an app name cannot have"));
  CHECK(error_of("apps:\n  - name: ''\n    script: a.js\n") ==
        "eco.yaml:2:11: name: an app name must not be empty");
  CHECK(error_of("apps:\n  - script: bin/42.py\n") ==
        "eco.yaml:2:5: name: '42' would read as a process id; use a name with a letter (the "
        "name comes from the script; set 'name')");
}

TEST_CASE("broken: a missing or empty script") {
  CHECK(error_of("apps:\n  - name: api\n") ==
        "eco.yaml:2:5: app 'api' has no 'script' (the file or command to run)");
  CHECK(error_of("apps:\n  - script: a.js\n  - instances: 2\n") ==
        "eco.yaml:3:5: app #2 has no 'script' (the file or command to run)");
  CHECK(error_of("apps:\n  - name: api\n    script: ''\n") ==
        "eco.yaml:3:13: script: must not be empty");
}

TEST_CASE("broken: every problem in the file is reported, in file order") {
  const std::vector<std::string> errors = errors_of(R"(
apps:
  - name: api
    script: api.js
    instances: many
    instance: 2
    kill_timeout: 5 parsecs
  - name: api
    script: b.js
    cron_restart: "99 * * * *"
  - name: worker
)");
  REQUIRE(errors.size() == 6);
  CHECK(errors[0].starts_with("eco.yaml:5:16: instances:"));
  CHECK(errors[1].starts_with("eco.yaml:6:5: unknown option 'instance'"));
  CHECK(errors[2].starts_with("eco.yaml:7:19: kill_timeout:"));
  CHECK(errors[3].starts_with("eco.yaml:8:11: duplicate app name 'api'"));
  CHECK(errors[4].starts_with("eco.yaml:10:19: cron_restart:"));
  CHECK(errors[5].starts_with("eco.yaml:11:5: app 'worker' has no 'script'"));
}

TEST_CASE("broken: the file name in messages is the context's") {
  EcosystemContext context = testing::test_context();
  context.file_name = "/etc/cxpm/prod.json";
  const Ecosystem ecosystem =
      parse_ecosystem(R"({"apps": [{"script": "a.js", "bad": 1}]})", context);
  REQUIRE(ecosystem.errors.size() == 1);
  CHECK(ecosystem.errors[0].file == "/etc/cxpm/prod.json");
  CHECK(ecosystem.errors[0].line == 1);
  CHECK(ecosystem.errors[0].column == 30);
}

TEST_CASE("broken: arbitrary bytes never throw") {
  const std::string alphabet = "apps:- \n\t{}[],:'\"#&*!|>%@`\\/?-0123456789scriptenv_ ~<<\x01\xff";
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 120);
  for (int round = 0; round < 2000; ++round) {
    std::string text = round % 2 ? "apps:\n  - script: a.js\n    " : "";
    for (int i = length(random); i > 0; --i) text += alphabet[pick(random)];
    CHECK_NOTHROW(parse_ecosystem(text, testing::test_context()));
  }
  // Deep nesting is refused by yaml-cpp's depth guard, as an error.
  CHECK_NOTHROW(parse_ecosystem(std::string(5000, '['), testing::test_context()));
  CHECK_FALSE(parse_ecosystem(std::string(5000, '['), testing::test_context()).ok());
}

}  // namespace
}  // namespace cxpm
