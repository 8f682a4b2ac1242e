#pragma once
// Taking over from an earlier daemon (the state helper's: see docs/architecture.md).

#include "cxpm/sys/home.hpp"

namespace cxpm {

class Supervisor;

// Rebuilds the app table from $CXPM_HOME's state and adopts the processes still running,
// taking their descriptors from supervisor.kept_fds(). Called before the loop runs.
void adopt_saved_state(Supervisor& supervisor, const Home& home);

// Writes the app table now, before an update hands the daemon over.
void flush_state_now(Supervisor& supervisor);

}  // namespace cxpm
