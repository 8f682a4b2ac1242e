#include <cstdlib>

#include "cxpm/cli/cli.hpp"
#include "cxpm/daemon/daemon.hpp"
#include "cxpm/keeper/keeper.hpp"

int main(int argc, char** argv) {
  return cxpm::run_cli(argc, argv, [](const cxpm::Home& home, const cxpm::DaemonRequest& request) {
    auto options = cxpm::DaemonOptions::from_environment(home);
    options.resurrect = request.resurrect;
    options.runtime = request.runtime;
    // The container runtime is the daemon in the foreground, with no keeper: it is PID 1 and
    // reaps everything itself.
    if (options.runtime) return cxpm::run_daemon(options);
    // `cxpm daemon` is the keeper; the keeper runs `cxpm daemon` again with its link (fd 3,
    // CXPM_KEEPER_FD) as the daemon proper.
    if (std::getenv("CXPM_KEEPER_FD")) return cxpm::run_daemon(options);
    return cxpm::run_keeper({.home = options.home,
                             .ready_fd = options.ready_fd,
                             .daemon_to_stderr = options.log_to_stderr,
                             .resurrect = options.resurrect});
  });
}
