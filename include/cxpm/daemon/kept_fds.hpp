#pragma once
// What must outlive this daemon process. The keeper (a small process that is the daemon's
// parent and the apps' subreaper) holds a duplicate of every descriptor the daemon keeps
// here: the read ends of the apps' output pipes, the listening sockets of cluster apps, the
// Node channels and socket brokers of running instances, the control and notify sockets.
// While no daemon runs, the apps' writes wait in their pipes and new connections in the
// sockets' queues; the next daemon is handed them back at its start and `take`s them.
//
// Keys name what a descriptor is for, so the next daemon can find it:
//   out/<pid>, err/<pid>, node/<pid>, broker/<pid>   an instance's, by its process id
//   listen/<app>/<address>/<slot>/<generation>        SocketRegistry's (slot -1: shared)
//   control, notify                                   the daemon's own sockets

#include <string>
#include <vector>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class KeptFds {
 public:
  virtual ~KeptFds() = default;
  // The keeper holds a duplicate of `fd` under `key` (replacing what that key held); the
  // caller keeps its own descriptor.
  virtual void keep(const std::string& key, int fd) = 0;
  // The keeper closes its duplicate (the descriptor's owner is done with it).
  virtual void forget(const std::string& key) = 0;
  // A descriptor an earlier daemon kept under `key`, handed to this one at its start; the
  // caller owns it (and keeps it again if it must outlive this daemon too). Empty when there
  // is none; each is given once.
  virtual UniqueFd take(const std::string& key) = 0;
  // The keys handed over and not taken yet: what nobody claimed once adoption is done.
  virtual std::vector<std::string> untaken() const = 0;
};

// No keeper (unit tests, `--no-daemon`, a keeper that died): nothing outlives the daemon.
class NoKeeper final : public KeptFds {
 public:
  void keep(const std::string&, int) override {}
  void forget(const std::string&) override {}
  UniqueFd take(const std::string&) override { return UniqueFd(); }
  std::vector<std::string> untaken() const override { return {}; }
};

}  // namespace cxpm
