#pragma once
// Listening sockets the daemon holds for cluster workers.

#include <string>
#include <variant>

#include "cxpm/config/listen_address.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

struct ListenOptions {
  bool reuseport = false;
  int backlog = 511;  // nginx's default; the kernel caps it at net.core.somaxconn
  // For a wildcard TCP address: AF_INET6 (dual-stack where the host allows) or AF_INET.
  int wildcard_family = 0;  // 0: IPv6 dual-stack, falling back to IPv4
};

// A socket bound and listening, close-on-exec (the spawner hands it over explicitly), or an
// error sentence ("cannot listen on 3000: Address already in use").
std::variant<UniqueFd, std::string> open_listening_socket(const ListenAddress& address,
                                                          const ListenOptions& options);

}  // namespace cxpm
