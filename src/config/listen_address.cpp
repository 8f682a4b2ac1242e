#include "cxpm/config/listen_address.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

bool is_ipv4(const std::string& host) {
  in_addr address{};
  return ::inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr address{};
  return ::inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

std::optional<ListenAddress> fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return std::nullopt;
}

}  // namespace

bool ListenAddress::same_as(const ListenAddress& other) const {
  if (kind != other.kind) return false;
  if (kind == Kind::kUnix) return path == other.path;
  if (port != other.port) return false;
  return host == other.host || (is_wildcard() && other.is_wildcard());
}

std::string ListenAddress::to_string() const {
  if (kind == Kind::kUnix) return path;
  if (host.empty()) return std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error) {
  // fmt, not "'" + std::string: GCC 12 at -O3 warns falsely on that (-Wrestrict, GCC bug
  // 105329).
  const std::string quoted = fmt::format("'{}'", text);
  if (text.find('/') != std::string_view::npos) {
    return ListenAddress{ListenAddress::Kind::kUnix, {}, 0, std::string(text)};
  }
  std::string host;
  std::string_view port_text = text;
  if (text.starts_with('[')) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos) {
      return fail(error, quoted + ": expected [IPv6]:port, e.g. [::1]:3000");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) {
      return fail(error, quoted + ": write IPv6 addresses in brackets, e.g. [::1]:3000");
    }
  }
  const std::optional<int> port = parse_whole<int>(port_text);
  if (!port || *port < 1 || *port > 65535) {
    return fail(error, quoted +
                           ": expected a port from 1 to 65535, as \"3000\", "
                           "\"127.0.0.1:3000\" or \"[::1]:3000\", or a unix socket path");
  }
  if (host == "localhost") host = "127.0.0.1";
  if (host == "*") host.clear();
  if (!host.empty() && !is_ipv4(host) && !is_ipv6(host)) {
    return fail(error, quoted + ": '" + host +
                           "' is not an IP address; listen on an address "
                           "such as 127.0.0.1 or ::1, or on the port alone for every address");
  }
  return ListenAddress{ListenAddress::Kind::kTcp, host, *port, {}};
}

}  // namespace cxpm
