#pragma once
// An address cluster workers share: "[host:]port" or a unix socket path.

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

struct ListenAddress {
  enum class Kind { kTcp, kUnix };

  Kind kind = Kind::kTcp;
  std::string host;  // an IP literal; empty: every address (IPv6 and IPv4 where possible)
  int port = 0;
  std::string path;  // kUnix

  // Any interface: "", "0.0.0.0" or "::". Two wildcard binds of one port are one socket.
  bool is_wildcard() const { return host.empty() || host == "0.0.0.0" || host == "::"; }
  // The same listening address: wildcards of one port match whatever their family.
  bool same_as(const ListenAddress& other) const;
  // "3000", "127.0.0.1:3000", "[::1]:3000", "/run/app.sock": parse_listen_address's input form.
  std::string to_string() const;

  bool operator==(const ListenAddress&) const = default;
};

// "3000", ":3000", "0.0.0.0:3000", "127.0.0.1:3000", "[::1]:3000", "localhost:3000", or a path
// (anything with a '/'). Ports 1-65535. On failure, nullopt and *error says why.
std::optional<ListenAddress> parse_listen_address(std::string_view text,
                                                  std::string* error = nullptr);

}  // namespace cxpm
