// What a JavaScript ecosystem file exports (JSON, from node) goes through the same loader as
// YAML, with errors that name the app by position and name instead of the generated JSON's
// lines; the conversion to YAML; namespace; an instance's environment.
#include <doctest/doctest.h>

#include "cxpm/config/ecosystem.hpp"
#include "cxpm/config/instance_environment.hpp"
#include "cxpm/config/yaml_convert.hpp"
#include "ecosystem_testing.hpp"

namespace cxpm {
namespace {

Ecosystem parse_evaluated(std::string_view json, std::string profile = "") {
  EcosystemContext context = testing::test_context(std::move(profile));
  context.file_name = "ecosystem.config.js";
  context.evaluated = true;
  return parse_ecosystem(json, context);
}

}  // namespace

TEST_CASE("evaluated: errors name the file, the app by index and name, and the key") {
  const Ecosystem ecosystem = parse_evaluated(
      R"({"apps":[{"name":"fine","script":"a.js"},{"name":"api","script":"b.js","instances":"lots"},)"
      R"({"script":"c.js","autorestrat":false}]})");
  REQUIRE(ecosystem.errors.size() == 2);
  CHECK(ecosystem.apps.empty());
  CHECK(ecosystem.errors[0].format().starts_with("ecosystem.config.js: app 2 'api': instances: "));
  CHECK(ecosystem.errors[1].format() ==
        "ecosystem.config.js: app 3 (script 'c.js'): unknown option 'autorestrat'; did you mean "
        "'autorestart'?");
}

TEST_CASE("evaluated: the same apps as YAML, profiles and the deploy section included") {
  const Ecosystem ecosystem = parse_evaluated(
      R"({"apps":[{"name":"web","script":"web.js","env":{"MODE":"dev"},)"
      R"("env_production":{"MODE":"production"}}],"deploy":{"production":{"user":"node"}}})",
      "production");
  REQUIRE(ecosystem.ok());
  REQUIRE(ecosystem.apps.size() == 1);
  CHECK(ecosystem.apps[0].env.at("MODE") == "production");
  CHECK(ecosystem.apps[0].cwd == "/srv/app");
}

TEST_CASE("evaluated: an export that is not apps says what is expected") {
  const Ecosystem ecosystem = parse_evaluated("null");
  REQUIRE(ecosystem.errors.size() == 1);
  CHECK(ecosystem.errors[0].format() ==
        "ecosystem.config.js: the file is empty; expected 'apps:' with a list of apps");
}

TEST_CASE("namespace: pm2's default, the key and its check") {
  CHECK(testing::parse_one("apps:\n  - script: a.js\n").app_namespace == "default");
  CHECK(testing::parse_one("apps:\n  - script: a.js\n    namespace: shop\n").app_namespace ==
        "shop");
  CHECK(testing::error_of("apps:\n  - script: a.js\n    namespace: \"\"\n")
            .starts_with("eco.yaml:3:16: namespace: "));
}

TEST_CASE("convert: JSON as YAML, strings that would read as other types quoted, deploy out") {
  const std::string yaml =
      json_as_yaml(R"({"apps":[{"name":"web","script":"web.js","instances":2,"autorestart":false,)"
                   R"("env":{"PORT":"3000","FLAG":"true","N":4}}],"deploy":{"x":{"user":"a"}}})");
  CHECK(yaml.find("deploy") == std::string::npos);
  CHECK(yaml.find("PORT: \"3000\"") != std::string::npos);
  CHECK(yaml.find("FLAG: \"true\"") != std::string::npos);
  CHECK(yaml.find("N: 4") != std::string::npos);
  CHECK(yaml.find("instances: 2") != std::string::npos);
  // What it prints loads as the same apps.
  const Ecosystem again = testing::parse(yaml);
  REQUIRE(again.ok());
  CHECK(again.apps[0].instances == 2);
  CHECK_FALSE(again.apps[0].autorestart);
  CHECK(again.apps[0].env.at("PORT") == "3000");
  CHECK_THROWS(json_as_yaml("{\"apps\": ["));
}

TEST_CASE("instance environment: the index, increment_var, cxpm's own variables") {
  AppSpec spec;
  spec.name = "api";
  spec.env = Environment{{"PORT", "3000"}, {"A", "1"}};
  spec.increment_var = "PORT";
  const Environment env = instance_environment(spec, 2, 7);
  CHECK(env.at("NODE_APP_INSTANCE") == "2");
  CHECK(env.at("PORT") == "3002");
  CHECK(env.at("CXPM_ID") == "7");
  CHECK(env.at("CXPM_APP_NAME") == "api");
  CHECK(env.at("A") == "1");
}

}  // namespace cxpm
