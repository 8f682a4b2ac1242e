#pragma once
// What a daemon takes over from the one before it (after a crash or `cxpm update`): the app
// table recorded in $CXPM_HOME/state.json, the processes still running, and the descriptors
// the keeper held for them (supervisor.kept_fds()). See docs/architecture.md, "Adoption".

#include "cxpm/sys/home.hpp"

namespace cxpm {

class Supervisor;

// At daemon start, before the loop runs and before any app is added: rebuilds every recorded
// app (same ids, indexes, restart counts, uptimes, events), adopts each recorded process whose
// pid still names it (same /proc start time), restarts by policy those that are gone, takes
// back the cluster apps' listening sockets; then keeps state.json up to date from here on. A
// missing file means a fresh start; a damaged one, or an app that cannot be read, is logged
// and the rest goes on.
void adopt_saved_state(Supervisor& supervisor, const Home& home);

// Writes state.json now, on the calling thread (`cxpm update`'s hand-over), and leaves it for
// the next daemon when this one ends. Returns why it could not, "" once written.
std::string flush_state_now(Supervisor& supervisor);

}  // namespace cxpm
