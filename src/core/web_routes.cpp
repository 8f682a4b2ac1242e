#include "cxpm/core/web_routes.hpp"

#include <array>
#include <cctype>

#include "cxpm/core/base64.hpp"

namespace cxpm {
namespace {

constexpr std::string_view kProcessesPrefix = "/api/processes";
constexpr std::array<std::string_view, 3> kActions = {"restart", "reload", "stop"};
// The schemes of the server's own origin: plain HTTP, or HTTPS through a proxy in front.
constexpr std::array<std::string_view, 2> kOwnSchemes = {"http://", "https://"};

// Whether `text` begins with `prefix`, ASCII letters in any case.
bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && starts_with_nocase(a, b);
}

// The credentials after an Authorization value's scheme ("bearer " or "basic "), spaces and
// tabs around them dropped; "" for another scheme.
std::string_view credentials_of(std::string_view authorization, std::string_view scheme) {
  if (authorization.size() <= scheme.size() || !starts_with_nocase(authorization, scheme)) {
    return {};
  }
  std::string_view credentials = authorization.substr(scheme.size());
  while (!credentials.empty() && credentials.front() == ' ') credentials.remove_prefix(1);
  while (!credentials.empty() && (credentials.back() == ' ' || credentials.back() == '\t')) {
    credentials.remove_suffix(1);
  }
  return credentials;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

WebRoute of_kind(WebRoute::Kind kind) {
  WebRoute route;
  route.kind = kind;
  return route;
}

// `route` when `method` is what it takes, else 405 naming the one it does take.
WebRoute for_method(std::string_view method, std::string_view takes, WebRoute route) {
  if (method == takes) return route;
  WebRoute refused = of_kind(WebRoute::Kind::kMethodNotAllowed);
  refused.allow = std::string(takes);
  return refused;
}

// The part after /api/processes/: "<name>" or "<name>/<action>", names decoded.
WebRoute process_route(std::string_view method, std::string_view rest) {
  const auto slash = rest.find('/');
  const auto name = percent_decode(rest.substr(0, slash));
  if (!name) return of_kind(WebRoute::Kind::kBadRequest);
  if (name->empty()) return of_kind(WebRoute::Kind::kNotFound);
  if (slash == std::string_view::npos) {
    WebRoute route = of_kind(WebRoute::Kind::kProcess);
    route.name = *name;
    return for_method(method, "GET", std::move(route));
  }
  const std::string_view action = rest.substr(slash + 1);
  for (std::string_view known : kActions) {
    if (action != known) continue;
    WebRoute route = of_kind(WebRoute::Kind::kAction);
    route.name = *name;
    route.action = std::string(known);
    return for_method(method, "POST", std::move(route));
  }
  return of_kind(WebRoute::Kind::kNotFound);
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_digit(text[i + 1]);
    const int low = hex_digit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    const char decoded = static_cast<char>(high * 16 + low);
    if (decoded == '\0') return std::nullopt;
    out += decoded;
    i += 2;
  }
  return out;
}

std::optional<std::string> query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) != key) continue;
    std::string value(equals == std::string_view::npos ? std::string_view()
                                                       : pair.substr(equals + 1));
    for (char& c : value) {
      if (c == '+') c = ' ';
    }
    return percent_decode(value);
  }
  return std::nullopt;
}

WebRoute route_web_request(std::string_view method, std::string_view target) {
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path.empty() || path.front() != '/') return of_kind(WebRoute::Kind::kBadRequest);
  if (path == "/metrics") return for_method(method, "GET", of_kind(WebRoute::Kind::kMetrics));
  if (path == kProcessesPrefix || path == "/api/processes/") {
    return for_method(method, "GET", of_kind(WebRoute::Kind::kProcesses));
  }
  if (path.starts_with("/api/processes/")) {
    return process_route(method, path.substr(kProcessesPrefix.size() + 1));
  }
  if (path == "/api/events/stream") {
    return for_method(method, "GET", of_kind(WebRoute::Kind::kEventStream));
  }
  if (path == "/api/logs/stream") {
    WebRoute route = of_kind(WebRoute::Kind::kLogStream);
    const auto app = query_value(query, "app");
    if (query.find("app=") != std::string_view::npos && !app) {
      return of_kind(WebRoute::Kind::kBadRequest);
    }
    route.name = app.value_or("");
    return for_method(method, "GET", std::move(route));
  }
  if (path == "/api" || path.starts_with("/api/")) return of_kind(WebRoute::Kind::kNotFound);
  const auto decoded = percent_decode(path);
  if (!decoded) return of_kind(WebRoute::Kind::kBadRequest);
  // Files are looked up by exact name in a table, so ".." can reach nothing; refused anyway
  // so that no reader has to check that.
  if (decoded->find("/..") != std::string::npos) return of_kind(WebRoute::Kind::kNotFound);
  WebRoute route = of_kind(WebRoute::Kind::kAsset);
  route.path = *decoded == "/" ? "/index.html" : *decoded;
  return for_method(method, "GET", std::move(route));
}

bool needs_token(std::string_view method, bool public_address) {
  return public_address || method != "GET";
}

std::string_view bearer_token(std::string_view authorization) {
  return credentials_of(authorization, "bearer ");
}

std::optional<std::string> basic_password(std::string_view authorization) {
  const std::string_view encoded = credentials_of(authorization, "basic ");
  if (encoded.empty()) return std::nullopt;
  auto decoded = base64_decode(encoded);
  if (!decoded) return std::nullopt;
  // RFC 7617: the user name ends at the first ':'; the password may hold more of them.
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return decoded->substr(colon + 1);
}

bool same_token(std::string_view given, std::string_view expected) {
  if (expected.empty()) return false;
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return difference == 0;
}

bool carries_token(std::string_view authorization, std::string_view token) {
  if (same_token(bearer_token(authorization), token)) return true;
  const auto password = basic_password(authorization);
  return password && same_token(*password, token);
}

std::string auth_challenges(bool public_address) {
  std::string challenges;
  if (public_address) challenges = "WWW-Authenticate: Basic realm=\"cxpm\", charset=\"UTF-8\"\r\n";
  return challenges + "WWW-Authenticate: Bearer\r\n";
}

bool cross_site(std::string_view method, const std::optional<std::string>& origin,
                const std::optional<std::string>& host) {
  if (method == "GET" || !origin) return false;
  if (!host || host->empty()) return true;
  for (std::string_view scheme : kOwnSchemes) {
    if (starts_with_nocase(*origin, scheme) &&
        equal_nocase(std::string_view(*origin).substr(scheme.size()), *host)) {
      return false;
    }
  }
  return true;
}

}  // namespace cxpm
