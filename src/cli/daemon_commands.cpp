// ping, kill, daemon.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/versions.hpp"
#include "cxpm/core/build_info.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
namespace {

// The keeper exits right after the daemon; the next command must not find it still there
// (it would refuse a new keeper). keeper.pid's lock is held for exactly the keeper's life.
bool wait_keeper_gone(const Home& home, std::chrono::milliseconds timeout) {
  UniqueFd file;
  try {
    file = home.open_file("keeper.pid", O_RDONLY);
  } catch (const std::exception&) {
    return true;  // no keeper ever ran here
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::flock(file.get(), LOCK_SH | LOCK_NB) != 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

void add_ping(CLI::App& app, CommandContext& context) {
  app.add_subcommand("ping", "Check the daemon answers (starting it if needed)")
      ->callback([&context] {
        Client client = *Client::connect(context.home);
        const PingResult result = client.call<method::Ping>();
        fmt::print("{}\n", ping_line(build_description(), result));
        if (!result.keeper_lost.empty()) {
          fmt::print(stderr,
                     "warning: {}; the apps no longer outlive the daemon (`cxpm kill`, then any "
                     "command, starts a new keeper)\n",
                     result.keeper_lost);
        }
      });
}

void add_kill(CLI::App& app, CommandContext& context) {
  app.add_subcommand("kill", "Stop every app, then the daemon")->callback([&context] {
    auto client = Client::connect(context.home, /*autostart=*/false);
    if (!client) {
      fmt::print("no daemon is running for CXPM_HOME={}\n", context.home.dir);
      return;
    }
    const KillResult result = client->call<method::Kill>();
    // The reply comes before the daemon exits: wait for the process itself to be gone, so
    // "stopped" is true when we say it and the next command never races the old daemon.
    client->wait_closed();
    const pid_t daemon = result.pid;
    if (daemon > 0 && !wait_for_exit(daemon, std::chrono::seconds(10))) {
      throw CliError(
          fmt::format("the daemon (pid {}) closed its socket but has not exited "
                      "after 10 s; see {}/daemon.log",
                      daemon, context.home.dir));
    }
    if (!wait_keeper_gone(context.home, std::chrono::seconds(5))) {
      throw CliError(
          fmt::format("the daemon exited but its keeper (keeper.pid) has not "
                      "after 5 s; see {}/daemon.log",
                      context.home.dir));
    }
    fmt::print("stopped {} process(es) and the daemon (pid {})\n", result.stopped, daemon);
  });
}

void add_daemon(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "daemon",
      "Run the daemon in the foreground (for systemd or containers); other commands start it "
      "in the background when needed. Under systemd (Type=notify) it sends READY=1 to "
      "$NOTIFY_SOCKET once it answers and STOPPING=1 when it stops");
  auto request = std::make_shared<DaemonRequest>();
  command->add_flag("--resurrect", request->resurrect,
                    "Start the saved list (cxpm save) before answering, as at boot");
  command->callback(
      [&context, request] { context.exit_code = context.run_daemon(context.home, *request); });
}

}  // namespace

void register_daemon_commands(CLI::App& app, CommandContext& context) {
  add_ping(app, context);
  add_kill(app, context);
  add_daemon(app, context);
}

}  // namespace cxpm
