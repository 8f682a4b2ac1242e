#pragma once
// `web` (docs/web.md): whether and where the daemon serves HTTP (metrics, the API, the
// dashboard). The setting outlives the daemon in $CXPM_HOME/web.json (WebSetting) until
// `cxpm web --stop`; the bearer token is in $CXPM_HOME/web.token (0600).

#include <optional>
#include <string>

#include "cxpm/protocol/args.hpp"

namespace cxpm {

// The loopback address `cxpm web` serves on when none is given.
inline constexpr const char* kDefaultWebAddress = "127.0.0.1:9615";

// What the daemon keeps in web.json.
struct WebSetting {
  std::string address;         // "host:port"
  bool public_access = false;  // an address beyond loopback was allowed (--public)
  bool operator==(const WebSetting&) const = default;
};

// `web`: with `address`, serve there from now on; with `stop`, serve no more; with neither,
// say what is served.
struct WebArgs {
  std::optional<std::string> address;
  bool stop = false;
  bool public_access = false;  // --public: an address other than loopback is meant
  // --token: the bearer token from now on (kept in web.token); unset: the one in web.token,
  // made there if absent.
  std::optional<std::string> token;
  bool operator==(const WebArgs&) const = default;
};

struct WebResult {
  bool serving = false;
  std::string address;  // where it serves (or was asked to)
  bool public_access = false;
  std::string token_file;  // where the token is
  bool operator==(const WebResult&) const = default;
};

Json to_json(const WebSetting& setting);
void from_json(const ArgsReader& reader, WebSetting& out);
Json to_json(const WebArgs& args);
void from_json(const ArgsReader& reader, WebArgs& out);
Json to_json(const WebResult& result);
void from_json(const ArgsReader& reader, WebResult& out);

// Why `setting` (and a token of that length) may not be served, or "" when it may: an
// address that is no TCP host:port, or one beyond loopback without --public and a token.
std::string web_setting_refusal(const WebSetting& setting, bool has_token);
// A loopback IP: 127.0.0.0/8 or ::1 (a wildcard is not).
bool is_loopback_host(const std::string& host);

}  // namespace cxpm
