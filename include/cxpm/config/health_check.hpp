#pragma once
// What an app's health check is, read from its spec (the health_* options, docs/health.md):
// the kind, the http URL's parts, the statuses that pass, the exec argv, and the check of
// them that `start` runs before anything is touched. Pure: the daemon's HealthChecks probes.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

enum class HealthKind { kNone, kHttp, kTcp, kExec };

HealthKind health_kind(const AppSpec& spec);

struct HttpTarget {
  std::string host;  // an IP literal or a name; [::1] without its brackets
  int port = 80;
  std::string path = "/";  // with its query
};

// "http://host[:port][/path]"; nullopt with `error` set otherwise (https is refused: no TLS).
std::optional<HttpTarget> parse_http_url(std::string_view url, std::string* error);

struct HostPort {
  std::string host;
  int port = 0;
};

// "host:port" or "[v6]:port", ports 1-65535.
std::optional<HostPort> parse_host_port(std::string_view text, std::string* error);

struct StatusRange {
  int low = 200;
  int high = 399;
  bool contains(int status) const { return status >= low && status <= high; }
};

// "200" or "200-399", statuses 100-599.
std::optional<StatusRange> parse_status_range(std::string_view text, std::string* error);

// $NAME and ${NAME} replaced by lookup(NAME) ("" when it gives nullptr); "$$" is one "$".
std::string expand_variables(std::string_view text,
                             const std::function<const std::string*(const std::string&)>& lookup);

// The argv an exec check runs: the list as given, or `sh -c` for one string with spaces (as a
// script string with spaces runs through a shell).
std::vector<std::string> health_exec_argv(const std::vector<std::string>& exec);

// What is wrong with the spec's health check, naming the option; nullopt when all is well.
// Variables in the URL or address are checked with a placeholder port.
std::optional<std::string> health_check_problem(const AppSpec& spec);

}  // namespace cxpm
