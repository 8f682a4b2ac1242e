#pragma once
// `cxpm daemon`: the keeper, the process that must never die. It is small on purpose: a
// poll(2) loop, no libuv, only sys/ and core/. It
//   - starts the daemon proper (the libuv supervisor) with a SOCK_SEQPACKET link (fd 3,
//     CXPM_KEEPER_FD), and starts a new one at once when it dies (DaemonBackoff);
//   - is the apps' child subreaper: a dead daemon's apps re-parent to it; it reaps them and
//     reports each exit to the current daemon, queued while none runs;
//   - holds a duplicate of every descriptor the daemon keeps (kept_fds.hpp) and hands them
//     all to each new daemon at its start;
//   - passes the daemon's readiness on (CXPM_READY_FD for a CLI, READY=1 for systemd);
//   - forwards SIGTERM, SIGINT and SIGUSR1 to the daemon and exits after the daemon's "bye";
//   - runs `cxpm update`'s new binary, and the previous one again if it fails to take over.
// The words on the link: core/keeper_messages.hpp.

#include "cxpm/sys/home.hpp"

namespace cxpm {

struct KeeperOptions {
  Home home;
  int ready_fd = -1;             // a CLI's readiness pipe: "ok" or "error: ..." once, then closed
  bool daemon_to_stderr = true;  // the daemon also logs to stderr (not when a CLI started us)
  bool resurrect = false;        // the first daemon starts the saved list (`--resurrect`)
};

// Runs until the daemon says "bye" and exits; returns the exit code.
int run_keeper(const KeeperOptions& options);

}  // namespace cxpm
