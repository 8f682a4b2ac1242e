#include "cxpm/core/web_routes.hpp"

#include <doctest/doctest.h>

using namespace cxpm;
using Kind = WebRoute::Kind;

TEST_CASE("web routes: the API's paths") {
  CHECK(route_web_request("GET", "/metrics").kind == Kind::kMetrics);
  CHECK(route_web_request("GET", "/metrics?x=1").kind == Kind::kMetrics);
  CHECK(route_web_request("GET", "/api/processes").kind == Kind::kProcesses);
  CHECK(route_web_request("GET", "/api/processes/").kind == Kind::kProcesses);
  const auto one = route_web_request("GET", "/api/processes/my%20app");
  CHECK(one.kind == Kind::kProcess);
  CHECK(one.name == "my app");
  const auto restart = route_web_request("POST", "/api/processes/web/restart");
  CHECK(restart.kind == Kind::kAction);
  CHECK(restart.name == "web");
  CHECK(restart.action == "restart");
  CHECK(route_web_request("POST", "/api/processes/web/reload").action == "reload");
  CHECK(route_web_request("POST", "/api/processes/3/stop").name == "3");
  CHECK(route_web_request("GET", "/api/events/stream").kind == Kind::kEventStream);
}

TEST_CASE("web routes: the log stream's app comes from the query, decoded") {
  const auto all = route_web_request("GET", "/api/logs/stream");
  CHECK(all.kind == Kind::kLogStream);
  CHECK(all.name.empty());
  CHECK(route_web_request("GET", "/api/logs/stream?app=chat+server").name == "chat server");
  CHECK(route_web_request("GET", "/api/logs/stream?x=1&app=a%2Fb").name == "a/b");
  CHECK(route_web_request("GET", "/api/logs/stream?app=%zz").kind == Kind::kBadRequest);
}

TEST_CASE("web routes: a known path with another method is 405 naming the right one") {
  const auto post_metrics = route_web_request("POST", "/metrics");
  CHECK(post_metrics.kind == Kind::kMethodNotAllowed);
  CHECK(post_metrics.allow == "GET");
  const auto get_restart = route_web_request("GET", "/api/processes/web/restart");
  CHECK(get_restart.kind == Kind::kMethodNotAllowed);
  CHECK(get_restart.allow == "POST");
  CHECK(route_web_request("DELETE", "/api/processes/web").allow == "GET");
}

TEST_CASE("web routes: unknown API paths are 404, bad targets 400") {
  CHECK(route_web_request("POST", "/api/processes/web/delete").kind == Kind::kNotFound);
  CHECK(route_web_request("GET", "/api/nothing").kind == Kind::kNotFound);
  CHECK(route_web_request("GET", "/api").kind == Kind::kNotFound);
  CHECK(route_web_request("GET", "/api/processes/%").kind == Kind::kBadRequest);
  CHECK(route_web_request("GET", "/api/processes/a%00b").kind == Kind::kBadRequest);
  CHECK(route_web_request("GET", "*").kind == Kind::kBadRequest);
  CHECK(route_web_request("GET", "http://x/metrics").kind == Kind::kBadRequest);
}

TEST_CASE("web routes: other paths are files, / is the index, .. reaches nothing") {
  const auto index = route_web_request("GET", "/");
  CHECK(index.kind == Kind::kAsset);
  CHECK(index.path == "/index.html");
  CHECK(route_web_request("GET", "/app.js?v=2").path == "/app.js");
  CHECK(route_web_request("GET", "/a%20b.css").path == "/a b.css");
  CHECK(route_web_request("GET", "/../etc/passwd").kind == Kind::kNotFound);
  CHECK(route_web_request("GET", "/x/%2e%2e/y").kind == Kind::kNotFound);
  CHECK(route_web_request("PUT", "/index.html").kind == Kind::kMethodNotAllowed);
}

TEST_CASE("web routes: the token is needed for POST always, for all when public") {
  CHECK(needs_token("POST", false));
  CHECK_FALSE(needs_token("GET", false));
  CHECK(needs_token("GET", true));
}

TEST_CASE("web routes: bearer tokens") {
  CHECK(bearer_token("Bearer abc123") == "abc123");
  CHECK(bearer_token("bearer   abc123 ") == "abc123");
  CHECK(bearer_token("Basic abc123").empty());
  CHECK(bearer_token("Bearer").empty());
  CHECK(same_token("abc", "abc"));
  CHECK_FALSE(same_token("abd", "abc"));
  CHECK_FALSE(same_token("ab", "abc"));
  CHECK_FALSE(same_token("abcd", "abc"));
  CHECK_FALSE(same_token("", ""));
}
