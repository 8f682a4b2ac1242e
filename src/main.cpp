#include "cxpm/cli/cli.hpp"
#include "cxpm/daemon/daemon.hpp"

int main(int argc, char** argv) {
  return cxpm::run_cli(argc, argv, [](const cxpm::Home& home, const cxpm::DaemonRequest& request) {
    auto options = cxpm::DaemonOptions::from_environment(home);
    options.resurrect = request.resurrect;
    options.runtime = request.runtime;
    return cxpm::run_daemon(options);
  });
}
