#include "cxpm/cli/cli.hpp"
#include "cxpm/daemon/daemon.hpp"

int main(int argc, char** argv) {
  return cxpm::run_cli(argc, argv, [](const cxpm::Home& home) {
    return cxpm::run_daemon(cxpm::DaemonOptions::from_environment(home));
  });
}
