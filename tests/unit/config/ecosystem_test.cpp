// The shapes an ecosystem file may take, defaults, paths and the environment merge.
#include "cxpm/config/ecosystem.hpp"

#include <doctest/doctest.h>

#include "ecosystem_testing.hpp"

namespace cxpm {
namespace {

using testing::parse;
using testing::parse_one;

TEST_CASE("ecosystem: apps under 'apps:', a bare list, or one app map") {
  const Ecosystem listed = parse(R"(
apps:
  - script: api.js
  - script: worker.py
)");
  REQUIRE(listed.ok());
  REQUIRE(listed.apps.size() == 2);
  CHECK(listed.apps[0].name == "api");
  CHECK(listed.apps[1].name == "worker");

  const Ecosystem bare = parse("- script: api.js\n- script: worker.py\n");
  REQUIRE(bare.ok());
  CHECK(bare.apps.size() == 2);

  CHECK(parse_one("script: api.js\nname: one\n").name == "one");
  CHECK(parse_one("apps:\n  script: api.js\n").name == "api");  // pm2 takes a lone map too
  CHECK(parse_one("apps: [{script: api.js}]\ndeploy: {production: {user: x}}\n").name == "api");
}

TEST_CASE("ecosystem: defaults are AppSpec's, with name, cwd and env filled in") {
  const AppSpec spec = parse_one("apps:\n  - script: ./bin/server.js\n");
  AppSpec expected;
  expected.name = "server";
  expected.script = "./bin/server.js";
  expected.cwd = "/srv/app";
  expected.env = testing::test_context().caller_env;
  CHECK(spec == expected);
}

TEST_CASE("ecosystem: the default name is the script's file name, or a command's program") {
  CHECK(parse_one("script: app.js").name == "app");
  CHECK(parse_one("script: /opt/bin/daemon").name == "daemon");
  CHECK(parse_one("script: python3 -m http.server 8000").name == "python3");
}

TEST_CASE("ecosystem: cwd defaults to the file's directory; paths resolve without disk access") {
  CHECK(parse_one("script: a.js").cwd == "/srv/app");
  CHECK(parse_one("script: a.js\ncwd: services/api/").cwd == "/srv/app/services/api");
  CHECK(parse_one("script: a.js\ncwd: ../shared").cwd == "/srv/shared");
  CHECK(parse_one("script: a.js\ncwd: /opt/api").cwd == "/opt/api");
  CHECK(parse_one("script: a.js\ncwd: ~/api").cwd == "/home/ada/api");
  // The script stays as written: the daemon finds it from cwd or PATH.
  CHECK(parse_one("script: ./a.js\ncwd: /opt").script == "./a.js");
}

TEST_CASE("ecosystem: env merges caller < env < env_<profile>") {
  constexpr std::string_view kFile = R"(
apps:
  - script: api.js
    env:
      SHARED: from-env
      NODE_ENV: development
      ONLY_ENV: "1"
    env_production:
      NODE_ENV: production
    env_staging:
      NODE_ENV: staging
)";
  const AppSpec plain = parse_one(kFile);
  CHECK(plain.env.at("PATH") == "/usr/bin");
  CHECK(plain.env.at("SHARED") == "from-env");
  CHECK(plain.env.at("NODE_ENV") == "development");

  const AppSpec production = parse_one(kFile, "production");
  CHECK(production.env.at("NODE_ENV") == "production");
  CHECK(production.env.at("ONLY_ENV") == "1");
  CHECK(production.env.at("PATH") == "/usr/bin");

  // pm2: an app without env_<profile> simply gets its env.
  CHECK(parse_one(kFile, "qa").env.at("NODE_ENV") == "development");
}

TEST_CASE("ecosystem: env values that YAML reads as numbers, booleans or null become text") {
  const AppSpec spec = parse_one(R"(
script: a.js
env:
  PORT: 3000
  DEBUG: true
  RATIO: 0.5
  EMPTY:
  TILDE: ~
)");
  CHECK(spec.env.at("PORT") == "3000");
  CHECK(spec.env.at("DEBUG") == "true");
  CHECK(spec.env.at("RATIO") == "0.5");
  CHECK(spec.env.at("EMPTY") == "");
  CHECK(spec.env.at("TILDE") == "");
}

TEST_CASE("ecosystem: port listens and sets PORT, below env_<profile>") {
  constexpr std::string_view kFile = R"(
script: a.js
port: 8080
env: {PORT: 1}
env_production: {PORT: 9090}
)";
  const AppSpec spec = parse_one(kFile);
  CHECK(spec.listen == std::vector<std::string>{"8080"});
  CHECK(spec.env.at("PORT") == "8080");
  CHECK(parse_one(kFile, "production").env.at("PORT") == "9090");
  // A port already in listen is not listed twice.
  CHECK(parse_one("script: a.js\nlisten: ['8080']\nport: 8080").listen.size() == 1);
}

TEST_CASE("ecosystem: YAML anchors and merge keys share settings") {
  // Top-level "x-" keys hold anchors, as in docker compose.
  const Ecosystem ecosystem = parse(R"(
x-defaults: &defaults
  instances: 4
  kill_timeout: 5s
x-env: &env {NODE_ENV: production}
apps:
  - <<: *defaults
    script: a.js
  - <<: [*defaults]
    script: b.js
    instances: 2
    env:
      <<: *env
      EXTRA: "yes"
  - &third
    script: c.js
    max_restarts: 3
  - <<: *third
    name: d
)");
  INFO(testing::all_errors(ecosystem));
  REQUIRE(ecosystem.ok());
  REQUIRE(ecosystem.apps.size() == 4);
  CHECK(ecosystem.apps[0].instances == 4);
  CHECK(ecosystem.apps[0].kill_timeout == std::chrono::seconds(5));
  CHECK(ecosystem.apps[1].name == "b");
  CHECK(ecosystem.apps[1].instances == 2);  // the map's own key wins over the merged one
  CHECK(ecosystem.apps[1].kill_timeout == std::chrono::seconds(5));
  CHECK(ecosystem.apps[1].env.at("NODE_ENV") == "production");
  CHECK(ecosystem.apps[1].env.at("EXTRA") == "yes");
  CHECK(ecosystem.apps[3].name == "d");
  CHECK(ecosystem.apps[3].script == "c.js");
  CHECK(ecosystem.apps[3].max_restarts == 3);
}

TEST_CASE("ecosystem: pm2's example process.json loads unchanged") {
  // From pm2's documentation: JavaScript comments, aliases and pid_file included.
  const Ecosystem ecosystem = parse(R"({
  "apps" : [{
    "name"        : "node-app",
    "cwd"         : "/srv/node-app/current",
    "args"        : ["--toto=heya coco", "-d", "1"],
    "script"      : "bin/app.js",
    "node_args"   : ["--harmony", " --max-stack-size=102400000"],
    "log_date_format"  : "YYYY-MM-DD HH:mm Z",
    "error_file" : "/var/log/node-app/node-app.stderr.log",
    "out_file"   : "log/node-app.stdout.log",
    "pid_file"   : "pids/node-geo-api.pid",
    "instances"  : 6, //or 0 => 'max'
    "min_uptime" : "200s", // 200 seconds, defaults to 1000
    "max_restarts" : 10, // defaults to 15
    "max_memory_restart": "1M", // 1 megabytes, e.g.: "2G", "10M", "100K"
    "cron_restart" : "1 0 * * *",
    "watch"  : false,
    "ignore_watch" : ["[\\/\\\\]\\./", "node_modules"],
    "merge_logs" : true,
    "exec_interpreter" : "node",
    "exec_mode"  : "fork",
    "autorestart" : false, // enable/disable automatic restart when an app crashes or exits
    "vizion" : false, // enable/disable vizion features (versioning control)
    /* Default environment variables injected at any start */
    "env": {
      "NODE_ENV": "production",
      "AWESOME_SERVICE_API_TOKEN": "xxx",
      "HOMEPAGE": "http://example.com//x"
    },
    "env_*" : {
      "SPECIFIC_ENV" : true
    }
  }]
}
)");
  INFO(testing::all_errors(ecosystem));
  REQUIRE(ecosystem.ok());
  const AppSpec& app = ecosystem.apps.at(0);
  CHECK(app.name == "node-app");
  CHECK(app.cwd == "/srv/node-app/current");
  CHECK(app.args == std::vector<std::string>{"--toto=heya coco", "-d", "1"});
  CHECK(app.interpreter_args ==
        std::vector<std::string>{"--harmony", " --max-stack-size=102400000"});
  CHECK(app.error_file == "/var/log/node-app/node-app.stderr.log");
  CHECK(app.out_file == "/srv/node-app/current/log/node-app.stdout.log");
  CHECK(app.instances == 6);
  CHECK(app.min_uptime == std::chrono::seconds(200));
  CHECK(app.max_restarts == 10);
  CHECK(app.max_memory_restart == 1024 * 1024);
  CHECK(app.cron_restart == "1 0 * * *");
  CHECK(app.watch.empty());
  CHECK(app.ignore_watch == std::vector<std::string>{"[\\/\\\\]\\./", "node_modules"});
  CHECK(app.merge_logs);
  CHECK(app.interpreter == "node");
  CHECK_FALSE(app.autorestart);
  CHECK(app.env.at("HOMEPAGE") == "http://example.com//x");  // not a comment inside a string
  CHECK(app.env.count("SPECIFIC_ENV") == 0);
}

TEST_CASE("ecosystem: JSON with tabs, trailing commas and pm2's ecosystem.json shape") {
  const Ecosystem ecosystem = parse(
      "{\n\t\"apps\": [\n\t\t{\"name\": \"worker-app\", \"script\": \"./worker.js\", \"watch\": "
      "true,\n\t\t \"env\": {\"NODE_ENV\": \"development\"},\n\t\t \"env_production\": "
      "{\"NODE_ENV\": \"production\"}},\n\t\t{\"name\": \"api-app\", \"script\": \"./api.js\", "
      "\"instances\": 4, \"exec_mode\": \"cluster\",},\n\t]\n}\n",
      "production");
  INFO(testing::all_errors(ecosystem));
  REQUIRE(ecosystem.ok());
  REQUIRE(ecosystem.apps.size() == 2);
  CHECK(ecosystem.apps[0].watch == std::vector<std::string>{"/srv/app"});
  CHECK(ecosystem.apps[0].env.at("NODE_ENV") == "production");
  CHECK(ecosystem.apps[1].exec_mode == ExecMode::kCluster);
  CHECK(ecosystem.apps[1].instances == 4);
}

TEST_CASE("ecosystem: a YAML value with tabs inside quotes keeps them") {
  CHECK(parse_one("script: a.js\nenv: {SEP: \"a\tb\"}\n").env.at("SEP") == "a\tb");
}

TEST_CASE("ecosystem: ConfigError formats like a compiler") {
  CHECK(ConfigError{"eco.yaml", 3, 7, "bad"}.format() == "eco.yaml:3:7: bad");
  CHECK(ConfigError{"eco.yaml", 3, 0, "bad"}.format() == "eco.yaml:3: bad");
  CHECK(ConfigError{"eco.yaml", 0, 0, "bad"}.format() == "eco.yaml: bad");
  CHECK(ConfigError{"", 0, 0, "bad"}.format() == "ecosystem: bad");
}

}  // namespace
}  // namespace cxpm
