#include "cxpm/daemon/listen_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

std::string failure(const ListenAddress& address, const std::string& what) {
  return "cannot listen on " + address.to_string() + ": " + what + " (" + error_text(errno) + ")";
}

std::variant<UniqueFd, std::string> open_tcp(const ListenAddress& address,
                                             const ListenOptions& options, int family) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (family == AF_INET6) {
    auto* ipv6 = reinterpret_cast<sockaddr_in6*>(&storage);
    ipv6->sin6_family = AF_INET6;
    ipv6->sin6_port = htons(static_cast<uint16_t>(address.port));
    ipv6->sin6_addr = in6addr_any;
    if (!address.is_wildcard()) ::inet_pton(AF_INET6, address.host.c_str(), &ipv6->sin6_addr);
    length = sizeof(sockaddr_in6);
  } else {
    auto* ipv4 = reinterpret_cast<sockaddr_in*>(&storage);
    ipv4->sin_family = AF_INET;
    ipv4->sin_port = htons(static_cast<uint16_t>(address.port));
    ipv4->sin_addr.s_addr = htonl(INADDR_ANY);
    if (!address.is_wildcard()) ::inet_pton(AF_INET, address.host.c_str(), &ipv4->sin_addr);
    length = sizeof(sockaddr_in);
  }
  UniqueFd fd{::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (!fd) return failure(address, "socket");
  const int on = 1, off = 0;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (options.reuseport && ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    return failure(address, "SO_REUSEPORT");
  }
  if (family == AF_INET6 && address.host.empty()) {
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    return failure(address, "bind");
  }
  if (::listen(fd.get(), options.backlog) != 0) return failure(address, "listen");
  return fd;
}

std::variant<UniqueFd, std::string> open_unix(const ListenAddress& address,
                                              const ListenOptions& options) {
  sockaddr_un unix_address{};
  unix_address.sun_family = AF_UNIX;
  if (address.path.size() >= sizeof unix_address.sun_path) {
    return "cannot listen on " + address.path + ": the path is longer than 107 bytes";
  }
  std::memcpy(unix_address.sun_path, address.path.c_str(), address.path.size() + 1);
  UniqueFd fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (!fd) return failure(address, "socket");
  // A socket file left by a previous run is stale only if nobody answers on it.
  struct stat info {};
  if (::stat(address.path.c_str(), &info) == 0 && S_ISSOCK(info.st_mode)) {
    UniqueFd probe{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    if (::connect(probe.get(), reinterpret_cast<sockaddr*>(&unix_address), sizeof unix_address) ==
        0) {
      errno = EADDRINUSE;
      return failure(address, "another process listens there");
    }
    ::unlink(address.path.c_str());
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&unix_address), sizeof unix_address) != 0) {
    return failure(address, "bind");
  }
  if (::listen(fd.get(), options.backlog) != 0) return failure(address, "listen");
  return fd;
}

}  // namespace

std::variant<UniqueFd, std::string> open_listening_socket(const ListenAddress& address,
                                                          const ListenOptions& options) {
  if (address.kind == ListenAddress::Kind::kUnix) return open_unix(address, options);
  if (!address.is_wildcard()) {
    const bool is_ipv6 = address.host.find(':') != std::string::npos;
    return open_tcp(address, options, is_ipv6 ? AF_INET6 : AF_INET);
  }
  const int family = address.host == "0.0.0.0" ? AF_INET
                     : address.host == "::"    ? AF_INET6
                                               : options.wildcard_family;
  if (family != 0) return open_tcp(address, options, family);
  auto dual_stack = open_tcp(address, options, AF_INET6);
  if (std::holds_alternative<UniqueFd>(dual_stack)) return dual_stack;
  if (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL) return dual_stack;
  return open_tcp(address, options, AF_INET);  // a host without IPv6
}

}  // namespace cxpm
