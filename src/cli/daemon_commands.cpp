// ping, kill, daemon.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
namespace {

void add_ping(CLI::App& app, CommandContext& context) {
  app.add_subcommand("ping", "Check the daemon answers (starting it if needed)")
      ->callback([&context] {
        Client client = *Client::connect(context.home);
        const PingResult result = client.call<method::Ping>();
        fmt::print("pong: daemon pid {}, version {}\n", result.pid, result.version);
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
