#pragma once
// What the daemon's HTTP server (daemon/web_server.hpp) does with a request line: which
// route a method and target mean, whether the request must carry the token (as a bearer
// token or Basic's password), and whether it comes from another site's page.
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
// The password of an "Authorization: Basic base64(user:password)" value (the scheme in any
// case, any user name), or nullopt: another scheme, bad base64 (core/base64.hpp), no ':'.
std::optional<std::string> basic_password(std::string_view authorization);
// Compares in time that depends on the lengths only, not on where they differ.
bool same_token(std::string_view given, std::string_view expected);
// Whether an Authorization value carries `token`, as a bearer token or as Basic's password.
bool carries_token(std::string_view authorization, std::string_view token);

// The WWW-Authenticate header lines (each ending "\r\n") of a 401. A public address offers
// Basic too, so that a browser opening the dashboard asks once and then sends the
// credentials itself with every request of the page, streams included; on loopback only
// POSTs need the token and the page asks for it in its own dialog, which a Basic challenge
// would replace with the browser's prompt.
std::string auth_challenges(bool public_address);

// A browser sends Basic credentials with any request to the server, one made by another
// site's page too: a request other than GET whose Origin header (nullopt: none) is not this
// server's own ("http://" or "https://" and the Host header, in any case) is refused.
// Clients that send no Origin (curl, Prometheus) are not browsers and are let through.
bool cross_site(std::string_view method, const std::optional<std::string>& origin,
                const std::optional<std::string>& host);

// %XX decoded ('+' kept: it is a plus in a path); nullopt for a bad escape or a NUL.
std::optional<std::string> percent_decode(std::string_view text);
// The decoded value of `key` in a query string ("a=1&app=web%201": '+' is a space here).
std::optional<std::string> query_value(std::string_view query, std::string_view key);

}  // namespace cxpm
