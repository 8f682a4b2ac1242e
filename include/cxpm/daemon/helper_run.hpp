#pragma once
// A helper command run beside the apps — a health check's exec, a notification's exec — without
// blocking the loop: forked like an app (spawn_process: its own session, its user), its exit
// reaped by the supervisor, and killed with its process group at its time limit. Reports exactly
// once. A daemon that stops with the command still running kills it as it forgets it.

#include <functional>
#include <string>

#include "cxpm/core/clock.hpp"
#include "cxpm/sys/spawn.hpp"

namespace cxpm {

class Supervisor;

struct HelperExit {
  std::string spawn_error;  // not empty: it did not start ("exec sh: ...")
  int wait_status = 0;      // as waitpid gives it
  bool timed_out = false;   // killed at its time limit
  bool succeeded() const;   // started, and exited with 0 in time
};

void run_helper(Supervisor& supervisor, const SpawnOptions& options, Milliseconds timeout,
                std::function<void(const HelperExit&)> done);

// "exited with code 1", "killed by SIGKILL".
std::string describe_helper_status(int wait_status);

}  // namespace cxpm
