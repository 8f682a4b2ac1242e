// update: the running daemon hands its apps, sockets and pipes over to another binary (the
// one now installed, after a package upgrade), through the keeper, without stopping them.

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/protocol/methods.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/proc.hpp"
#include "cxpm/sys/spawn.hpp"
#include "cxpm/sys/unix_socket.hpp"

namespace cxpm {
namespace {

constexpr std::chrono::seconds kVersionCheckTimeout{5};
// The keeper's own limit for a new daemon to report ready, and some.
constexpr std::chrono::seconds kHandOverTimeout{30};

// Where this binary was installed: after a package upgrade replaced it, /proc/self/exe
// names the old file "... (deleted)", and the path is the new one's.
std::string installed_path() {
  char path[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) throw_system_error("cannot find the cxpm binary (/proc/self/exe)");
  std::string text(path, static_cast<std::size_t>(length));
  constexpr std::string_view kDeleted = " (deleted)";
  if (text.ends_with(kDeleted)) text.resize(text.size() - kDeleted.size());
  return text;
}

std::string absolute_binary(const std::string& given) {
  char resolved[PATH_MAX];
  const std::string path = given.empty() ? installed_path() : given;
  if (!::realpath(path.c_str(), resolved)) {
    throw CliError("cannot use " + path + " as the new binary: " + error_text(errno) +
                   "; nothing was changed");
  }
  return resolved;
}

// `<binary> --version` must answer "cxpm <version>" in time: a binary that cannot even do
// that is refused before the running daemon is touched. Returns the version.
std::string check_runs(const std::string& binary) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw_system_error("pipe");
  UniqueFd read_end(out[0]);
  UniqueFd write_end(out[1]);
  SpawnOptions options;
  options.argv = {binary, "--version"};
  // Its own empty home: the check must not ask the running daemon anything.
  options.env = {"PATH=/usr/bin:/bin", "CXPM_HOME=/nonexistent/cxpm-update-check"};
  options.cwd = "/";
  options.stdout_fd = write_end.get();
  options.stderr_fd = write_end.get();
  const SpawnResult spawned = spawn_process(options);
  write_end.reset();
  if (!spawned.ok()) throw CliError("cannot run " + binary + ": " + spawned.error);
  std::string said;
  const auto deadline = std::chrono::steady_clock::now() + kVersionCheckTimeout;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !wait_readable(read_end.get(), left)) {
      timed_out = true;
      break;
    }
    char buffer[512];
    const ssize_t got = ::read(read_end.get(), buffer, sizeof buffer);
    if (got <= 0) break;
    if (said.size() < 4096) said.append(buffer, static_cast<std::size_t>(got));
  }
  if (timed_out) ::kill(spawned.pid, SIGKILL);
  int status = 0;
  ::waitpid(spawned.pid, &status, 0);
  while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
  const std::string words = said.empty() ? "" : " (it said: " + said.substr(0, 200) + ")";
  if (timed_out) {
    throw CliError(fmt::format("`{} --version` did not finish within {} s; nothing was changed",
                               binary, kVersionCheckTimeout.count()));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw CliError(fmt::format("`{} --version` failed ({}){}; nothing was changed", binary,
                               WIFEXITED(status)
                                   ? "exit code " + std::to_string(WEXITSTATUS(status))
                                   : "killed by a signal",
                               words));
  }
  if (!said.starts_with("cxpm ")) {
    throw CliError(fmt::format("{} is not cxpm{}; nothing was changed", binary, words));
  }
  // The whole first line: a version is "0.1.0 (commit 5c00083, Release build)".
  const auto end = said.find('\n', 5);
  return said.substr(5, end == std::string::npos ? std::string::npos : end - 5);
}

void update(const CommandContext& context, const std::string& given) {
  const std::string binary = absolute_binary(given);
  const std::string new_version = check_runs(binary);
  auto client = Client::connect(context.home, /*autostart=*/false);
  if (!client) {
    fmt::print("no daemon is running for CXPM_HOME={}; the next command starts {}\n",
               context.home.dir, binary);
    return;
  }
  const PingResult before = client->call<method::Ping>();
  if (!before.keeper_pid) {
    throw CliError("the daemon (pid " + std::to_string(before.pid) + ") has no keeper" +
                   (before.keeper_lost.empty() ? "" : " (" + before.keeper_lost + ")") +
                   ", so it cannot hand its apps over; nothing was changed");
  }
  UpdateArgs args;
  args.binary = binary;
  const UpdateResult handed = client->call<method::Update>(args);
  client->wait_closed();
  if (!wait_for_exit(handed.pid, kHandOverTimeout)) {
    throw CliError(
        fmt::format("the daemon (pid {}) said it hands over but has not exited after "
                    "{} s; see {}/daemon.log",
                    handed.pid, kHandOverTimeout.count(), context.home.dir));
  }
  // The keeper holds the control socket: this waits in its backlog for the next daemon.
  auto next = Client::connect(context.home, /*autostart=*/false);
  if (!next) {
    throw CliError("no daemon answers after the hand-over; see " + context.home.log_path());
  }
  const PingResult after = next->call<method::Ping>();
  if (!after.update_failure.empty()) {
    throw CliError(
        fmt::format("update failed: {}; rolled back: the daemon (pid {}) runs "
                    "version {} again, the apps are untouched",
                    after.update_failure, after.pid, after.version));
  }
  fmt::print(
      "updated: daemon pid {} (version {}) -> pid {} (version {}, {}); the apps kept "
      "running\n",
      before.pid, before.version, after.pid, after.version, binary);
  if (after.version != new_version) {
    fmt::print(stderr, "note: {} --version said {}, the daemon says {}\n", binary, new_version,
               after.version);
  }
}

}  // namespace

void register_update_command(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "update",
      "Hand the running apps, their sockets and log pipes over to a new daemon running the "
      "binary now installed, without stopping any; if the new daemon fails to start, the "
      "previous binary runs again and this says why");
  auto binary = std::make_shared<std::string>();
  command->add_option("--binary", *binary,
                      "The cxpm binary to move to (default: this one, as installed now)");
  command->callback([&context, binary] { update(context, *binary); });
}

}  // namespace cxpm
