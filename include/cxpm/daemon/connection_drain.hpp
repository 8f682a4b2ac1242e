#pragma once
// Watching a retiring worker drain, from outside, through sock_diag: its listeners' accept
// queues and the connections its processes hold, looked at every 20 ms and judged by
// DrainProgress (core/drain_rules.hpp). The worker itself is never asked: it may know nothing
// of reloads. `finished` is called once, with the verdict; the drain may be destroyed in it.

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/core/drain_rules.hpp"
#include "cxpm/daemon/timers.hpp"

namespace cxpm {

class ConnectionDrain {
 public:
  using Finished = std::function<void(DrainProgress::Verdict, Milliseconds took)>;

  // `listeners`: the worker's listening sockets (the daemon's copies); `holders`: the pids of
  // its processes, whose open sockets are its connections.
  ConnectionDrain(Timers& timers, const std::vector<int>& listeners, std::vector<pid_t> holders,
                  DrainSettings settings, Finished finished);

  // "draining 120 ms: 1 connection mid-request, 0 queued".
  std::string state() const;

 private:
  struct Listener {
    int family;
    int port;
    std::uint64_t inode;
  };

  void look();
  // What the kernel shows now; a failure of sock_diag ends the drain (the worker is stopped
  // as if it had drained, as before draining existed).
  std::optional<DrainSample> sample();

  Timers& timers_;
  std::vector<Listener> listeners_;
  std::vector<pid_t> holders_;
  DrainProgress progress_;
  Finished finished_;
  std::unique_ptr<OneShotTimer> timer_;
};

}  // namespace cxpm
