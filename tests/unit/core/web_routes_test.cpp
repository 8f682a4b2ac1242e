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

TEST_CASE("web routes: Basic credentials carry the token as the password, any user name") {
  // "cxpm:s3cret", ":s3cret", "me:a:b" and "nocolon" in base64.
  CHECK(basic_password("Basic Y3hwbTpzM2NyZXQ=") == "s3cret");
  CHECK(basic_password("basic   Y3hwbTpzM2NyZXQ= ") == "s3cret");
  CHECK(basic_password("Basic OnMzY3JldA==") == "s3cret");
  CHECK(basic_password("Basic bWU6YTpi") == "a:b");  // the user name ends at the first ':'
  CHECK_FALSE(basic_password("Basic bm9jb2xvbg=="));
  CHECK_FALSE(basic_password("Basic Y3hwbTpzM2NyZXQ"));   // unpadded
  CHECK_FALSE(basic_password("Basic Y3hwbTpzM2Ny!XQ="));  // not base64
  CHECK_FALSE(basic_password("Basic"));
  CHECK_FALSE(basic_password("Bearer Y3hwbTpzM2NyZXQ="));

  CHECK(carries_token("Bearer s3cret", "s3cret"));
  CHECK(carries_token("Basic Y3hwbTpzM2NyZXQ=", "s3cret"));
  CHECK_FALSE(carries_token("Basic Y3hwbTpzM2NyZXQ=", "s3cre"));
  CHECK_FALSE(carries_token("Basic Y3hwbTpzM2NyZXQ=", ""));
  CHECK_FALSE(carries_token("Basic czNjcmV0", "s3cret"));  // "s3cret" alone: no user part
  CHECK_FALSE(carries_token("Basic Y3hwbTpzM2NyZXQ=", "Y3hwbTpzM2NyZXQ="));
  CHECK_FALSE(carries_token("", "s3cret"));
}

TEST_CASE("web routes: a public address's 401 offers Basic as well, loopback's Bearer only") {
  CHECK(auth_challenges(true) ==
        "WWW-Authenticate: Basic realm=\"cxpm\", charset=\"UTF-8\"\r\n"
        "WWW-Authenticate: Bearer\r\n");
  CHECK(auth_challenges(false) == "WWW-Authenticate: Bearer\r\n");
}

TEST_CASE("web routes: an action from another site's page is cross-site; no Origin is not") {
  const std::optional<std::string> host = "127.0.0.1:9615";
  const std::optional<std::string> none;
  CHECK_FALSE(cross_site("POST", std::string("http://127.0.0.1:9615"), host));
  CHECK_FALSE(cross_site("POST", std::string("HTTPS://127.0.0.1:9615"), host));  // a TLS proxy
  CHECK_FALSE(cross_site("POST", none, host));                                   // curl, scripts
  CHECK_FALSE(cross_site("POST", none, none));
  CHECK_FALSE(cross_site("GET", std::string("http://evil.example"), host));  // reads are not
  CHECK(cross_site("POST", std::string("http://evil.example"), host));
  CHECK(cross_site("POST", std::string("http://127.0.0.1:9616"), host));
  CHECK(cross_site("POST", std::string("http://127.0.0.1"), host));
  CHECK(cross_site("POST", std::string("null"), host));  // a sandboxed or opaque origin
  CHECK(cross_site("POST", std::string(""), host));
  CHECK(cross_site("POST", std::string("http://127.0.0.1:9615"), none));
  CHECK(cross_site("POST", std::string("ftp://127.0.0.1:9615"), host));
  CHECK(cross_site("DELETE", std::string("http://evil.example"), host));
}
