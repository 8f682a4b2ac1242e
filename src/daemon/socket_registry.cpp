#include "cxpm/daemon/socket_registry.hpp"

#include <sys/socket.h>

#include <algorithm>

#include "cxpm/daemon/listen_socket.hpp"

namespace cxpm {

std::variant<int, std::string> SocketRegistry::acquire(const std::string& app,
                                                       const ListenAddress& address,
                                                       SocketMode mode, int slot, int generation) {
  const int wanted_slot = mode == SocketMode::kShared ? -1 : slot;
  const int wanted_generation = mode == SocketMode::kShared ? 0 : generation;
  ListenOptions options{.reuseport = mode == SocketMode::kReuseport};
  for (const auto& held : held_) {
    if (!held.address.same_as(address)) continue;
    if (held.app != app) {
      return "cannot listen on " + address.to_string() + ": app '" + held.app +
             "' already listens there";
    }
    if (held.slot == wanted_slot && held.generation == wanted_generation) return held.fd.get();
    // Siblings of one address share its family, so a dual-stack slot never meets an IPv4 one.
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    if (::getsockname(held.fd.get(), reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
      options.wildcard_family = bound.ss_family;
    }
  }
  auto opened = open_listening_socket(address, options);
  if (auto* error = std::get_if<std::string>(&opened)) return *error;
  const bool steered = options.reuseport && address.kind == ListenAddress::Kind::kTcp;
  held_.push_back({app, address, wanted_slot, wanted_generation,
                   std::move(std::get<UniqueFd>(opened)), steered});
  const int fd = held_.back().fd.get();
  if (steered) steering_.joined(app, address, {wanted_slot, wanted_generation}, fd);
  kept_->keep(key_of(held_.back()), fd);
  return fd;
}

std::string SocketRegistry::key_of(const Held& held) {
  return "listen/" + held.app + "/" + held.address.to_string() + "/" + std::to_string(held.slot) +
         "/" + std::to_string(held.generation);
}

template <typename Which>
void SocketRegistry::release_if(Which which) {
  for (auto& held : held_) {
    if (!which(held) || !held.steered) continue;
    // Out of the kernel's group now (a listener shut down for reading stops listening), not
    // when the last copy closes, so the group's order stays the one steering_ follows.
    ::shutdown(held.fd.get(), SHUT_RDWR);
    steering_.left(held.fd.get());
  }
  for (const auto& held : held_) {
    if (which(held)) kept_->forget(key_of(held));
  }
  std::erase_if(held_, which);
}

void SocketRegistry::adopt(const std::string& app, ListenAddress address, SocketOwner owner,
                           UniqueFd fd) {
  std::erase_if(held_, [&](const Held& held) {
    return held.app == app && held.slot == owner.slot && held.generation == owner.generation &&
           held.address.same_as(address);
  });
  int reuseport = 0;
  socklen_t length = sizeof reuseport;
  ::getsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &reuseport, &length);
  const bool steered = reuseport != 0 && address.kind == ListenAddress::Kind::kTcp;
  if (steered) steering_.adopted(app, address, owner, fd.get());
  held_.push_back({app, std::move(address), owner.slot, owner.generation, std::move(fd), steered});
}

void SocketRegistry::release_slot(const std::string& app, int slot) {
  release_if([&](const Held& held) { return held.app == app && held.slot == slot; });
}

void SocketRegistry::release_app(const std::string& app) {
  release_if([&](const Held& held) { return held.app == app; });
  steering_.forget(app);
}

void SocketRegistry::release_generation(const std::string& app, SocketOwner owner) {
  release_if([&](const Held& held) {
    return held.app == app && held.slot == owner.slot && held.generation == owner.generation;
  });
}

std::vector<int> SocketRegistry::sockets_of(const std::string& app, SocketOwner owner) const {
  std::vector<int> fds;
  for (const auto& held : held_) {
    if (held.steered && held.app == app && held.slot == owner.slot &&
        held.generation == owner.generation) {
      fds.push_back(held.fd.get());
    }
  }
  return fds;
}

}  // namespace cxpm
