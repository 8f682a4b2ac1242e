#pragma once

#include <functional>
#include <optional>

#include "cxpm/config/runtime_settings.hpp"
#include "cxpm/sys/home.hpp"

namespace cxpm {

// What `cxpm daemon` was asked for.
struct DaemonRequest {
  bool resurrect = false;  // start the saved list before answering (the boot unit)
  // The daemon in the foreground with these apps (cxpm-runtime, start --no-daemon).
  std::optional<RuntimeSettings> runtime;
};

// The whole command line: parses argv, runs one command, returns the exit code.
// `cxpm daemon` calls run_daemon: the CLI layer knows how to ask for a daemon, not how one works.
int run_cli(int argc, char** argv,
            std::function<int(const Home&, const DaemonRequest&)> run_daemon);

}  // namespace cxpm
