#include "cxpm/protocol/app_spec_json.hpp"

#include <doctest/doctest.h>

namespace cxpm {
namespace {

AppEnvironment::Base shared_env() {
  return std::make_shared<const Environment>(
      Environment{{"PATH", "/usr/bin"}, {"HOME", "/root"}, {"LANG", "C.UTF-8"}});
}

AppSpec app(const std::string& name, const AppEnvironment::Base& base, Environment own = {}) {
  AppSpec spec;
  spec.name = name;
  spec.script = "/bin/sleep";
  spec.args = {"1000"};
  spec.env = AppEnvironment(base, std::move(own));
  return spec;
}

std::vector<AppSpec> round_trip(const std::vector<AppSpec>& specs) {
  // Through text, as on the wire.
  const Json args = Json::parse(app_specs_to_json(specs).dump());
  return app_specs_from_json(ArgsReader(args, "args"));
}

}  // namespace

TEST_CASE("apps sharing an environment send it once and come back equal") {
  const auto base = shared_env();
  const std::vector<AppSpec> specs{app("a", base, {{"PORT", "3000"}}),
                                   app("b", base, {{"PATH", "/opt/bin"}}), app("c", base)};
  const Json args = app_specs_to_json(specs);
  CHECK(args.at("shared_env") == Json(*base));
  CHECK(args.at("apps")[0].at("env") == Json{{"PORT", "3000"}});
  CHECK_FALSE(args.at("apps")[2].contains("env"));

  const auto back = round_trip(specs);
  REQUIRE(back.size() == 3);
  CHECK(back == specs);
  CHECK(back[0].env.at("PORT") == "3000");
  CHECK(back[0].env.at("HOME") == "/root");
  CHECK(back[1].env.at("PATH") == "/opt/bin");
  // The daemon holds one copy of the shared variables, whichever app it reads them for.
  REQUIRE(back[0].env.base());
  CHECK(back[0].env.base() == back[1].env.base());
  CHECK(back[0].env.base() == back[2].env.base());
  CHECK(back[2].env.own().empty());
}

TEST_CASE("an app that lacks a shared variable, or has another base, keeps exactly its own") {
  const auto base = shared_env();
  AppSpec without_home =
      app("without-home", nullptr, {{"PATH", "/usr/bin"}, {"LANG", "C.UTF-8"}, {"X", "1"}});
  AppSpec other_base = app("other", std::make_shared<const Environment>(
                                        Environment{{"PATH", "/usr/bin"}, {"HOME", "/home/u"}}));
  const std::vector<AppSpec> specs{app("a", base), app("b", base), without_home, other_base};
  const Json args = app_specs_to_json(specs);
  CHECK(args.at("apps")[2].at("env_unset") == Json{"HOME"});
  CHECK(args.at("apps")[2].at("env") == Json{{"X", "1"}});
  CHECK(args.at("apps")[3].at("env") == Json{{"HOME", "/home/u"}});
  CHECK(args.at("apps")[3].at("env_unset") == Json{"LANG"});

  const auto back = round_trip(specs);
  REQUIRE(back.size() == 4);
  CHECK(back == specs);
  CHECK(back[2].env.count("HOME") == 0);
  CHECK(back[3].env.merged() == Environment{{"PATH", "/usr/bin"}, {"HOME", "/home/u"}});
}

TEST_CASE("apps with no shared base send their whole environment") {
  const std::vector<AppSpec> specs{app("a", nullptr, {{"A", "1"}})};
  const Json args = app_specs_to_json(specs);
  CHECK_FALSE(args.contains("shared_env"));
  CHECK(args.at("apps")[0].at("env") == Json{{"A", "1"}});
  CHECK(round_trip(specs) == specs);
}

TEST_CASE("fields at their defaults are left out, and every other field comes back") {
  AppSpec plain = app("plain", nullptr);
  const Json sent = app_specs_to_json({plain}).at("apps")[0];
  CHECK(sent == Json{{"name", "plain"}, {"script", "/bin/sleep"}, {"args", {"1000"}}});

  AppSpec full = app("full", shared_env(), {{"NODE_ENV", "production"}});
  full.interpreter = "python3";
  full.interpreter_args = {"-u"};
  full.cwd = "/srv";
  full.instances = 4;
  full.exec_mode = ExecMode::kCluster;
  full.listen = {"3000"};
  full.socket_mode = SocketMode::kShared;
  full.instance_var = "INSTANCE";
  full.increment_var = "PORT";
  full.autorestart = false;
  full.autostart = false;
  full.max_restarts = 3;
  full.min_uptime = Milliseconds{5};
  full.restart_delay = Milliseconds{6};
  full.exp_backoff_restart_delay = Milliseconds{7};
  full.stop_exit_codes = {0, 3};
  full.restart_budget = 2;
  full.restart_budget_window = Milliseconds{8};
  full.kill_signal = "SIGTERM";
  full.kill_timeout = Milliseconds{9};
  full.treekill = false;
  full.shutdown_with_message = true;
  full.wait_ready = true;
  full.listen_timeout = Milliseconds{10};
  full.out_file = "/tmp/o";
  full.error_file = "/tmp/e";
  full.log_file = "/tmp/l";
  full.merge_logs = true;
  full.time = true;
  full.log_date_format = "YYYY";
  full.log_type = "json";
  full.max_size = 11;
  full.retain = 12;
  full.compress = true;
  full.watch = {"/srv"};
  full.ignore_watch = {"tmp"};
  full.watch_delay = Milliseconds{13};
  full.cron_restart = "0 3 * * *";
  full.max_memory_restart = 14;
  full.depends_on = {{"db", DependencyCondition::kHealthy},
                     {"migrate", DependencyCondition::kCompleted}};
  full.depends_timeout = Milliseconds{15};
  full.uid = "nobody";
  full.gid = "nogroup";
  const auto back = round_trip({plain, full});
  REQUIRE(back.size() == 2);
  CHECK(back[0] == plain);
  CHECK(back[1] == full);
}

TEST_CASE("describe's form has every field and the merged environment") {
  const Json described = to_json(app("a", shared_env(), {{"PORT", "1"}}));
  CHECK(described.at("env") ==
        Json{{"HOME", "/root"}, {"LANG", "C.UTF-8"}, {"PATH", "/usr/bin"}, {"PORT", "1"}});
  CHECK(described.at("autorestart") == true);
  CHECK(app_spec_from_json(ArgsReader(described, "app")) ==
        app("a", shared_env(), {{"PORT", "1"}}));
}

TEST_CASE("a bad shared_env or env_unset names the field") {
  const Json bad_shared{{"shared_env", {{"A", 1}}}, {"apps", Json::array()}};
  CHECK_THROWS_WITH_AS(app_specs_from_json(ArgsReader(bad_shared, "args")),
                       "args.shared_env.A: expected a string, got number", ArgsError);
  const Json bad_unset{{"shared_env", {{"A", "1"}}},
                       {"apps", {{{"name", "a"}, {"script", "x"}, {"env_unset", {1}}}}}};
  CHECK_THROWS_WITH_AS(app_specs_from_json(ArgsReader(bad_unset, "args")),
                       "args.apps[0].env_unset[0]: expected a string, got number", ArgsError);
}

TEST_CASE("an app's own variable set over the shared base leaves the base alone") {
  const auto base = shared_env();
  AppEnvironment env(base);
  env["PATH"] += ":/opt/bin";
  env["NEW"] = "1";
  CHECK(env.at("PATH") == "/usr/bin:/opt/bin");
  CHECK(base->at("PATH") == "/usr/bin");
  CHECK(env.merged().size() == 4);
  CHECK_THROWS_AS((void)env.at("MISSING"), std::out_of_range);
}

}  // namespace cxpm
