#pragma once
// What the daemon's HTTP server (daemon/web_server.hpp) does with a request line: which
// route a method and target mean, and whether the request must carry the bearer token.
// Pure, so every route and refusal is a unit test (tests/unit/core/web_routes_test.cpp).
//
//   GET  /metrics                          Prometheus text
//   GET  /api/processes                    jlist's objects
//   GET  /api/processes/<name>             describe of that app (or id)
//   POST /api/processes/<name>/<action>    restart, reload or stop
//   GET  /api/events/stream                the daemon's events, as server-sent events
//   GET  /api/logs/stream?app=<name>       an app's (or every app's) log lines, likewise
//   GET  anything else                     a compiled-in file (daemon/web_assets.hpp)

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

struct WebRoute {
  enum class Kind {
    kMetrics,
    kProcesses,
    kProcess,
    kAction,
    kEventStream,
    kLogStream,
    kAsset,
    kNotFound,          // 404
    kMethodNotAllowed,  // 405: a known path, another method
    kBadRequest,        // 400: a target that does not decode
  };
  Kind kind = Kind::kNotFound;
  std::string name;    // kProcess, kAction: the app (decoded); kLogStream: the app, "" for all
  std::string action;  // kAction: "restart", "reload" or "stop"
  std::string path;    // kAsset: the decoded path, "/index.html" for "/"
  std::string allow;   // kMethodNotAllowed: the method the path takes
  bool operator==(const WebRoute&) const = default;
};

WebRoute route_web_request(std::string_view method, std::string_view target);

// POST always needs the token; everything does when the server listens beyond loopback.
bool needs_token(std::string_view method, bool public_address);

// "<token>" of an "Authorization: Bearer <token>" value (the scheme in any case), else "".
std::string_view bearer_token(std::string_view authorization);
// Compares in time that depends on the lengths only, not on where they differ.
bool same_token(std::string_view given, std::string_view expected);

// %XX decoded ('+' kept: it is a plus in a path); nullopt for a bad escape or a NUL.
std::optional<std::string> percent_decode(std::string_view text);
// The decoded value of `key` in a query string ("a=1&app=web%201": '+' is a space here).
std::optional<std::string> query_value(std::string_view query, std::string_view key);

}  // namespace cxpm
