#include "cxpm/daemon/socket_registry.hpp"

#include <sys/socket.h>

#include <algorithm>

#include "cxpm/daemon/listen_socket.hpp"

namespace cxpm {

std::variant<int, std::string> SocketRegistry::acquire(const std::string& app,
                                                       const ListenAddress& address,
                                                       SocketMode mode, int slot) {
  const int wanted_slot = mode == SocketMode::kShared ? -1 : slot;
  ListenOptions options{.reuseport = mode == SocketMode::kReuseport};
  for (const auto& held : held_) {
    if (!held.address.same_as(address)) continue;
    if (held.app != app) {
      return "cannot listen on " + address.to_string() + ": app '" + held.app +
             "' already listens there";
    }
    if (held.slot == wanted_slot) return held.fd.get();
    // Siblings of one address share its family, so a dual-stack slot never meets an IPv4 one.
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    if (::getsockname(held.fd.get(), reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
      options.wildcard_family = bound.ss_family;
    }
  }
  auto opened = open_listening_socket(address, options);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  held_.push_back({app, address, wanted_slot, std::move(std::get<UniqueFd>(opened))});
  return held_.back().fd.get();
}

void SocketRegistry::adopt(const std::string& app, ListenAddress address, int slot, UniqueFd fd) {
  std::erase_if(held_, [&](const Held& held) {
    return held.app == app && held.slot == slot && held.address.same_as(address);
  });
  held_.push_back({app, std::move(address), slot, std::move(fd)});
}

void SocketRegistry::release_slot(const std::string& app, int slot) {
  std::erase_if(held_, [&](const Held& held) { return held.app == app && held.slot == slot; });
}

void SocketRegistry::release_app(const std::string& app) {
  std::erase_if(held_, [&](const Held& held) { return held.app == app; });
}

}  // namespace cxpm
