#pragma once
// `cxpm daemon`: the supervisor process.

#include <optional>

#include "cxpm/config/runtime_settings.hpp"
#include "cxpm/sys/home.hpp"

namespace cxpm {

struct DaemonOptions {
  Home home;
  // Set when a CLI started us in the background: we write "ok\n" (or "error: ...\n") to this
  // fd once the control socket accepts connections, so the CLI waits for an event, not a sleep.
  int ready_fd = -1;
  bool log_to_stderr = true;
  // Start the saved list (dump.json) before answering: `cxpm daemon --resurrect`, at boot.
  bool resurrect = false;
  // `cxpm-runtime`, `cxpm start --no-daemon`: start these apps, print their output, and exit
  // when they have all ended (runtime_mode.hpp).
  std::optional<RuntimeSettings> runtime;

  // Reads (and removes, so apps never see it) CXPM_READY_FD, set by a CLI that started us.
  static DaemonOptions from_environment(const Home& home);
};

// Runs until `cxpm kill`, SIGTERM or SIGINT; returns the process exit code.
int run_daemon(const DaemonOptions& options);

}  // namespace cxpm
