// Every app option of the table, through the three ways a value arrives: an ecosystem file,
// a start flag, and the wire. Each must give the same value, and refuse the same bad one
// with the same words.

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <optional>

#include "../config/ecosystem_testing.hpp"
#include "cxpm/cli/client.hpp"
#include "cxpm/cli/start_flags.hpp"
#include "cxpm/config/option_value.hpp"
#include "cxpm/core/signal_names.hpp"
#include "cxpm/protocol/app_spec_json.hpp"

namespace cxpm {
namespace {

using testing::parse;
using testing::parse_one;

struct Sample {
  std::string_view option;
  std::string_view yaml;                 // a good value, as a file writes it
  std::vector<std::string> flag_values;  // the same as flag values (none for a switch)
  std::string_view bad_yaml = "";        // a value every way must refuse ("": none)
  Json bad_json = nullptr;               // the same on the wire (null: not expressible)
};

const std::vector<Sample>& samples() {
  static const std::vector<Sample> kSamples{
      {"name", "web", {"web"}, "'123'", "123"},
      {"script", "/bin/sleep", {}},
      {"cwd", "/srv/other", {"/srv/other"}, "''"},
      {"args", "[a, 'b c']", {}},
      {"interpreter", "python3", {"python3"}, "''"},
      {"interpreter_args", "[strict, fast]", {"strict", "fast"}},
      {"instances", "4", {"4"}, "many", 5000},
      {"exec_mode", "cluster", {}, "both", "both"},
      {"listen", "['127.0.0.1:3000']", {"127.0.0.1:3000"}, "'host:'", Json::array({"host:"})},
      {"port", "8080", {}},
      {"socket_mode", "shared", {"shared"}, "both", "both"},
      {"instance_var", "IDX", {"IDX"}, "''"},
      {"increment_var", "PORT", {"PORT"}},
      {"env", "{A: '1'}", {}},
      {"autorestart", "false", {}, "maybe"},
      {"autostart", "false", {}, "maybe"},
      {"max_restarts", "3", {"3"}, "-1", -1},
      {"min_uptime", "5s", {"5s"}, "5 parsecs"},
      {"restart_delay", "250ms", {"250ms"}, "-5", -5},
      {"exp_backoff_restart_delay", "100", {"100"}},
      {"stop_exit_codes", "[0, 3]", {"0", "3"}, "[300]", Json::array({300})},
      {"restart_budget", "7", {}, "-2", -2},
      {"restart_budget_window", "2m", {}},
      {"kill_signal", "SIGPWR", {"SIGPWR"}, "SIGFOO", "SIGFOO"},
      {"kill_timeout", "3s", {"3s"}, "forever"},
      {"kill_retry_time", "250ms", {"250ms"}, "-5", -5},
      {"drain_timeout", "2s", {"2s"}, "-5", -5},
      {"treekill", "false", {}},
      {"shutdown_with_message", "true", {}},
      {"wait_ready", "true", {}},
      {"listen_timeout", "10s", {"10s"}},
      {"out_file", "/tmp/o.log", {"/tmp/o.log"}, "''"},
      {"error_file", "/tmp/e.log", {"/tmp/e.log"}},
      {"log_file", "/tmp/l.log", {"/tmp/l.log"}},
      {"merge_logs", "true", {}},
      {"time", "true", {}},
      {"log_date_format", "'YYYY'", {"YYYY"}},
      {"log_type", "json", {"json"}, "xml", "xml"},
      {"max_size", "50M", {"50M"}, "big"},
      {"retain", "2", {"2"}, "-1", -1},
      {"compress", "true", {}},
      {"watch", "true", {}},
      {"ignore_watch", "[tmp]", {"tmp"}},
      {"watch_delay", "500", {"500"}},
      {"cron_restart", "'0 3 * * *'", {"0 3 * * *"}, "'nope'", "nope"},
      {"max_memory_restart", "300M", {"300M"}, "big"},
      {"depends_on", "[{app: db, condition: started}]", {}, "[{app: db, condition: soon}]"},
      {"depends_timeout", "10s", {}, "-5", -5},
      {"health_http", "'http://127.0.0.1:$PORT/health'", {"http://127.0.0.1:$PORT/health"}},
      {"health_tcp", "'127.0.0.1:6379'", {"127.0.0.1:6379"}},
      {"health_exec", "[check, deep]", {"check", "deep"}},
      {"health_status", "200-299", {"200-299"}},
      {"health_interval", "2s", {"2s"}, "often"},
      {"health_timeout", "500ms", {"500ms"}, "-5", -5},
      {"health_failures", "5", {"5"}, "0", 0},
      {"health_start_period", "10s", {"10s"}},
      {"health_wait_ready", "true", {}},
      {"notify_events", "[crash, errored]", {"crash", "errored"}},
      {"notify_exec", "'echo crashed >>/tmp/log'", {"echo crashed >>/tmp/log"}},
      {"notify_webhook", "'http://127.0.0.1:9099/hook'", {"http://127.0.0.1:9099/hook"}},
      {"notify_interval", "5s", {"5s"}, "often"},
      {"notify_timeout", "2s", {"2s"}, "-5", -5},
      {"uid", "nobody", {"nobody"}, "''"},
      {"gid", "nogroup", {"nogroup"}},
      {"rotate_interval", "'0 0 * * *'", {"0 0 * * *"}, "'61 * * * *'", "61 * * * *"},
      {"version", "2.4.1", {}},
      {"namespace", "shop", {"shop"}, "''"},
  };
  return kSamples;
}

// An app with the option spelled `key`, and a script unless the option is the script.
std::string app_with(const OptionInfo& option, std::string_view key, std::string_view yaml) {
  std::string text = "apps:\n  - " + std::string(key) + ": " + std::string(yaml) + "\n";
  if (option.type != OptionType::kScript) text += "    script: /bin/sleep\n";
  // What depends_on names must be in the file.
  if (option.type == OptionType::kDependencies) text += "  - name: db\n    script: /bin/true\n";
  return text;
}

// The first app of a file that must be valid (the one app_with wrote the option into).
AppSpec parse_first(const std::string& text) {
  const Ecosystem ecosystem = parse(text);
  INFO(testing::all_errors(ecosystem));
  REQUIRE(ecosystem.ok());
  return ecosystem.apps.front();
}

// The words after "<key>: " of a message.
std::string problem_in(const std::string& message, std::string_view key) {
  const std::string prefix = std::string(key) + ": ";
  const auto at = message.find(prefix);
  return at == std::string::npos ? message : message.substr(at + prefix.size());
}

// `start --flag values...` parsed and applied as `cxpm start` does, from /srv/app.
AppSpec from_flags(const OptionInfo& option, const std::vector<std::string>& values) {
  CLI::App command("start");
  OptionFlagValues storage;
  add_option_flags(command, storage);
  std::vector<std::string> argv{"start"};
  argv.push_back(std::string(option.flags.substr(option.flags.rfind(',') + 1)));
  argv.insert(argv.end(), values.begin(), values.end());
  std::vector<const char*> raw;
  for (const auto& word : argv) raw.push_back(word.c_str());
  command.parse(static_cast<int>(raw.size()), raw.data());
  AppSpec spec;
  spec.name = "sleep";
  spec.script = "/bin/sleep";
  spec.cwd = "/srv/app";
  apply_options(given_options(command, storage), "/srv/app", spec);
  return spec;
}

AppSpec through_the_wire(const AppSpec& spec) {
  const Json args = Json::parse(app_specs_to_json({spec}).dump());
  const auto specs = app_specs_from_json(ArgsReader(args, "args"));
  REQUIRE(specs.size() == 1);
  return specs.front();
}

}  // namespace

TEST_CASE("every option of the table has a sample here") {
  for (const OptionInfo& option : app_options()) {
    INFO(option.name);
    CHECK(std::ranges::any_of(samples(), [&](const Sample& s) { return s.option == option.name; }));
  }
}

TEST_CASE("every option gives the same value from a file, a flag and the wire") {
  for (const Sample& sample : samples()) {
    const OptionInfo& option = app_option(sample.option);
    INFO(option.name);
    const AppSpec from_file = parse_first(app_with(option, option.name, sample.yaml));
    if (option.type != OptionType::kPort && option.type != OptionType::kEnvironment) {
      CHECK(to_json(from_file).at(std::string(option.name)) !=
            to_json(AppSpec{}).at(std::string(option.name)));
    }
    CHECK(through_the_wire(from_file) == from_file);
    CHECK(app_spec_from_json(ArgsReader(to_json(from_file), "spec")) == from_file);
    for (std::string_view alias : option.aliases) {
      if (alias.empty()) continue;
      CHECK(parse_first(app_with(option, alias, sample.yaml)) == from_file);
    }
    if (!option.flags.empty()) {
      const AppSpec flagged = from_flags(option, sample.flag_values);
      CHECK(to_json(flagged).at(std::string(option.name)) ==
            to_json(from_file).at(std::string(option.name)));
    }
  }
}

TEST_CASE("a bad value is refused by a file, a flag and the wire with the same words") {
  for (const Sample& sample : samples()) {
    if (sample.bad_yaml.empty()) continue;
    const OptionInfo& option = app_option(sample.option);
    INFO(option.name);
    const Ecosystem file = parse(app_with(option, option.name, sample.bad_yaml));
    REQUIRE(file.errors.size() == 1);
    const std::string problem = problem_in(file.errors.front().message, option.name);
    const bool is_switch = option.type == OptionType::kBool || option.type == OptionType::kWatch;
    if (!option.flags.empty() && !is_switch) {
      std::string text(sample.bad_yaml);
      if (text.size() >= 2 && text.front() == '\'') text = text.substr(1, text.size() - 2);
      std::vector<std::string> values{text};
      if (option.type == OptionType::kExitCodes) values = {"300"};
      try {
        (void)from_flags(option, values);
        FAIL("the flag took ", text);
      } catch (const CliError& error) {
        CHECK(std::string(error.what()) == flag_display_name(option) + ": " + problem);
      }
    }
    if (!sample.bad_json.is_null()) {
      const Json args{{"apps", {{{"name", "a"}, {"script", "/bin/sleep"}}}}};
      Json bad = args;
      bad["apps"][0][std::string(option.name)] = sample.bad_json;
      try {
        (void)app_specs_from_json(ArgsReader(bad, "args"));
        FAIL("the wire took ", sample.bad_json.dump());
      } catch (const ArgsError& error) {
        const std::string expected = "args.apps[0]." + std::string(option.name) + ": ";
        CHECK(std::string(error.what()).starts_with(expected));
        if (option.type != OptionType::kInstances && option.type != OptionType::kDuration) {
          CHECK(std::string(error.what()) == expected + problem);
        }
      }
    }
  }
}

TEST_CASE("SIGPWR: accepted by a file, a flag and the wire, and the signal sent is SIGPWR") {
  const AppSpec from_file = parse_one("script: a.js\nkill_signal: PWR");
  CHECK(from_file.kill_signal == "SIGPWR");
  CHECK(from_flags(app_option("kill_signal"), {"SIGPWR"}).kill_signal == "SIGPWR");
  CHECK(from_flags(app_option("kill_signal"), {std::to_string(SIGPWR)}).kill_signal == "SIGPWR");
  CHECK(through_the_wire(from_file).kill_signal == "SIGPWR");
  // What the supervisor sends is the number of the name the spec holds.
  CHECK(signal_from_name(through_the_wire(from_file).kill_signal) == SIGPWR);
  const Json raw{{"apps", {{{"name", "a"}, {"script", "x"}, {"kill_signal", "pwr"}}}}};
  CHECK(app_specs_from_json(ArgsReader(raw, "args")).front().kill_signal == "SIGPWR");
}

TEST_CASE("the signal table names every signal it reads, and reads every name it shows") {
  for (int number = 1; number < 32; ++number) {
    const std::string name = signal_name(number);
    if (name.starts_with("signal ")) continue;
    CHECK(signal_from_name(name) == number);
    CHECK(canonical_signal_name(std::to_string(number)) == name);
  }
  CHECK(signal_from_name("sigterm") == SIGTERM);
  CHECK_FALSE(signal_from_name("SIGFOO"));
  CHECK_FALSE(signal_from_name("99"));
  CHECK_FALSE(signal_from_name(""));
}

}  // namespace cxpm
