#pragma once
// The listening sockets of cluster apps. The daemon opens each one on first use (a declared
// `listen` address at spawn, or a worker's own bind() through the preload library) and keeps
// it across worker restarts, so a crashing worker never makes the address refuse connections.
//
// shared:    one socket per address; every worker of the app accepts from it.
// reuseport: one SO_REUSEPORT socket per address and worker slot (instance index); the kernel
//            spreads connections over the slots; a restarted worker gets its slot's socket,
//            with the connections queued while it was down. A reload's replacement is the
//            slot's next generation and gets sockets of its own, so the kernel can tell it
//            from the worker it replaces; ReuseportSteering chooses among the sockets.

#include <string>
#include <variant>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/daemon/kept_fds.hpp"
#include "cxpm/daemon/reuseport_steering.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class SocketRegistry {
 public:
  // The socket instance `slot` of `app` must use for `address`: a descriptor the registry
  // keeps owning, or an error sentence.
  std::variant<int, std::string> acquire(const std::string& app, const ListenAddress& address,
                                         SocketMode mode, int slot, int generation = 0);

  // A socket an earlier daemon opened for `app` (slot -1: shared), handed back by the keeper:
  // acquire gives it out again instead of opening a new one, so the address never closes.
  void adopt(const std::string& app, ListenAddress address, SocketOwner owner, UniqueFd fd);

  // Closes a slot's reuseport sockets (the app scaled down) or every socket of an app (deleted).
  void release_slot(const std::string& app, int slot);
  void release_app(const std::string& app);
  // Closes the reuseport sockets of one generation of a slot (a reload's retired worker).
  void release_generation(const std::string& app, SocketOwner owner);

  ReuseportSteering& steering() { return steering_; }
  const ReuseportSteering& steering() const { return steering_; }
  // The reuseport TCP sockets `owner` listens on, to watch while it drains.
  std::vector<int> sockets_of(const std::string& app, SocketOwner owner) const;
  // Every socket opened from now on is kept there under
  // listen/<app>/<address>/<slot>/<generation>, and forgotten when released (kept_fds.hpp).
  void set_kept_fds(KeptFds& kept) { kept_ = &kept; }

 private:
  struct Held {
    std::string app;
    ListenAddress address;
    int slot;  // -1 when shared by every worker
    int generation;
    UniqueFd fd;
    bool steered;  // a reuseport TCP socket, in steering_'s groups
  };

  // Closes the sockets `which` picks; steered ones leave their group first, at once, even
  // while a worker's process still holds a copy.
  template <typename Which>
  void release_if(Which which);

  static std::string key_of(const Held& held);

  std::vector<Held> held_;
  ReuseportSteering steering_;
  NoKeeper no_keeper_;
  KeptFds* kept_ = &no_keeper_;
};

}  // namespace cxpm
