#pragma once
// The listening sockets of cluster apps. The daemon opens each one on first use (a declared
// `listen` address at spawn, or a worker's own bind() through the preload library) and keeps
// it across worker restarts, so a crashing worker never makes the address refuse connections.
//
// shared:    one socket per address; every worker of the app accepts from it.
// reuseport: one SO_REUSEPORT socket per address and worker slot (instance index); the kernel
//            spreads connections over the slots; a restarted worker gets its slot's socket,
//            with the connections queued while it was down.

#include <string>
#include <variant>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class SocketRegistry {
 public:
  // The socket instance `slot` of `app` must use for `address`: a descriptor the registry
  // keeps owning, or an error sentence.
  std::variant<int, std::string> acquire(const std::string& app, const ListenAddress& address,
                                         SocketMode mode, int slot);

  // A socket an earlier daemon opened for `app` (slot -1: shared), handed back by the keeper:
  // acquire gives it out again instead of opening a new one, so the address never closes.
  void adopt(const std::string& app, ListenAddress address, int slot, UniqueFd fd);

  // Closes a slot's reuseport sockets (the app scaled down) or every socket of an app (deleted).
  void release_slot(const std::string& app, int slot);
  void release_app(const std::string& app);

 private:
  struct Held {
    std::string app;
    ListenAddress address;
    int slot;  // -1 when shared by every worker
    UniqueFd fd;
  };

  std::vector<Held> held_;
};

}  // namespace cxpm
