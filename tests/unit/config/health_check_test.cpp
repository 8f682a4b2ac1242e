#include "cxpm/config/health_check.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

TEST_CASE("health check: http URLs") {
  std::string error;
  auto target = parse_http_url("http://127.0.0.1:8080/health?deep=1", &error);
  REQUIRE(target);
  CHECK(target->host == "127.0.0.1");
  CHECK(target->port == 8080);
  CHECK(target->path == "/health?deep=1");
  target = parse_http_url("http://localhost", &error);
  REQUIRE(target);
  CHECK(target->port == 80);
  CHECK(target->path == "/");
  target = parse_http_url("http://[::1]:3000/", &error);
  REQUIRE(target);
  CHECK(target->host == "::1");
  CHECK(target->port == 3000);
  CHECK_FALSE(parse_http_url("https://example.com/", &error));
  CHECK(error.find("http://") != std::string::npos);
  CHECK_FALSE(parse_http_url("http://host:99999/", &error));
  CHECK_FALSE(parse_http_url("http:///path", &error));
  CHECK_FALSE(parse_http_url("http://host/a b", &error));
}

TEST_CASE("health check: host:port and status ranges") {
  std::string error;
  auto address = parse_host_port("127.0.0.1:6379", &error);
  REQUIRE(address);
  CHECK(address->port == 6379);
  CHECK(parse_host_port("[::1]:80", &error)->host == "::1");
  CHECK_FALSE(parse_host_port("6379", &error));
  CHECK_FALSE(parse_host_port("host:0", &error));
  auto range = parse_status_range("200-299", &error);
  REQUIRE(range);
  CHECK(range->contains(204));
  CHECK_FALSE(range->contains(302));
  CHECK(parse_status_range("204", &error)->contains(204));
  CHECK_FALSE(parse_status_range("299-200", &error));
  CHECK_FALSE(parse_status_range("abc", &error));
  CHECK_FALSE(parse_status_range("200-700", &error));
}

TEST_CASE("health check: variables expand from the instance") {
  const std::string port = "3001";
  const auto lookup = [&port](const std::string& name) -> const std::string* {
    return name == "PORT" ? &port : nullptr;
  };
  CHECK(expand_variables("http://127.0.0.1:$PORT/x", lookup) == "http://127.0.0.1:3001/x");
  CHECK(expand_variables("${PORT}0", lookup) == "30010");
  CHECK(expand_variables("$NOPE-$$", lookup) == "-$");
  CHECK(expand_variables("cost $", lookup) == "cost $");
}

TEST_CASE("health check: exec argv, and sh -c only for one string with spaces") {
  CHECK(health_exec_argv({"/bin/check"}) == std::vector<std::string>{"/bin/check"});
  CHECK(health_exec_argv({"curl", "-f", "x"}) == std::vector<std::string>{"curl", "-f", "x"});
  CHECK(health_exec_argv({"test -e /tmp/ok"}) ==
        std::vector<std::string>{"/bin/sh", "-c", "test -e /tmp/ok"});
}

TEST_CASE("health check: the spec's problems") {
  AppSpec spec;
  CHECK_FALSE(health_check_problem(spec));
  spec.health_http = "http://127.0.0.1:$PORT/";
  CHECK_FALSE(health_check_problem(spec));
  spec.health_tcp = "127.0.0.1:1";
  CHECK(health_check_problem(spec)->find("one of") != std::string::npos);
  spec.health_tcp.clear();
  spec.health_status = "600";
  CHECK(health_check_problem(spec)->starts_with("health_status"));
}
