#pragma once
// The saved list (dump.json) and the running daemon: what `save` writes, and starting what
// `resurrect` or the daemon's start at boot brings back.

#include <uv.h>

#include <functional>
#include <string>
#include <vector>

#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/protocol/persistence.hpp"

namespace cxpm {

struct ResurrectOutcome {
  std::vector<int> ids;  // of the instances of the apps started
  std::vector<std::string> skipped;
  std::vector<ResurrectFailure> failed;
};

// Adds every app of `apps` the supervisor does not have (by name), with its saved settings
// and environment; those it has are skipped, whatever their status. One app that fails to
// start does not keep the others from starting.
ResurrectOutcome start_saved_apps(Supervisor& supervisor, std::vector<AppSpec> apps);

// `cxpm daemon --resurrect` (the unit `cxpm startup` writes): reads the saved list and starts
// it before the daemon answers. Returns a line for the service manager's STATUS=; a missing
// or damaged dump is logged and leaves the daemon running with no apps.
std::string resurrect_at_start(Supervisor& supervisor, const Home& home);

// Runs `work` on libuv's thread pool, then `done` on the loop with what it threw ("" when
// nothing did): the disk is never waited on from the loop thread.
void run_off_loop(uv_loop_t* loop, std::function<void()> work,
                  std::function<void(const std::string& error)> done);

}  // namespace cxpm
