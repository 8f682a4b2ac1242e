#pragma once
// The container runtime from the CLI's side: `cxpm-runtime start ecosystem.yaml` (the same
// binary under another name, chosen by argv[0], as pm2-runtime is pm2's) and
// `cxpm start … --no-daemon`. The apps are read and checked here as `start` reads them, then
// the daemon runs in this process, in the foreground, with them (daemon/runtime_mode.hpp).
//
// CXPM_HOME: the one set, or else ~/.cxpm-runtime, a home of its own so a runtime never meets
// a background daemon of the same user; it is exported to the apps, so what they run finds it.

#include <string>
#include <vector>

#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/start_plan.hpp"
#include "cxpm/config/runtime_settings.hpp"

namespace CLI {
class App;
}

namespace cxpm {

inline constexpr const char* kRuntimeName = "cxpm-runtime";

// The runtime's flags on `start`.
struct RuntimeFlags {
  bool foreground = false;  // --no-daemon
  bool raw = false;
  bool json = false;
  bool formatted = false;
  bool no_auto_exit = false;
};

void add_runtime_flags(CLI::App& start, RuntimeFlags& flags);
// Throws CliError when an output flag is given without --no-daemon.
void check_runtime_flags(const RuntimeFlags& flags);
// Whether `name` (a flag's CLI11 name) is one of them: they describe the runtime, not an app.
bool is_runtime_flag(const std::string& name);

// When argv[0] is cxpm-runtime: the command line as `cxpm start --no-daemon …` (pm2-runtime
// also takes `cxpm-runtime app.js`, without `start`). Unchanged otherwise.
std::vector<std::string> runtime_command_line(int argc, char** argv);

// Runs the daemon in the foreground with the targets' apps; sets context.exit_code.
void run_in_foreground(CommandContext& context, const std::vector<std::string>& targets,
                       const StartFlags& flags, const RuntimeFlags& runtime);

}  // namespace cxpm
