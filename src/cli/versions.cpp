#include "cxpm/cli/versions.hpp"

#include <fmt/format.h>

#include "cxpm/cli/client.hpp"
#include "cxpm/core/build_info.hpp"
#include "cxpm/protocol/methods.hpp"

namespace cxpm {

std::string versions_line(std::string_view cli_version, const PingResult* running) {
  std::string line = fmt::format("cxpm {}", cli_version);
  if (!running) return line;
  std::string others;
  if (running->version != cli_version) others += "daemon " + running->version;
  if (running->keeper_pid && !running->keeper_version.empty() &&
      running->keeper_version != cli_version) {
    others += (others.empty() ? "" : ", ") + std::string("keeper ") + running->keeper_version;
  }
  if (!others.empty()) line += " (running: " + others + "; `cxpm update` moves them to this one)";
  return line;
}

std::string ping_line(std::string_view cli_version, const PingResult& running) {
  std::string line = fmt::format("pong: daemon pid {}, version {}", running.pid, running.version);
  if (running.keeper_pid) {
    line += fmt::format(", keeper pid {}", running.keeper_pid);
    if (running.keeper_version != running.version)
      line += ", keeper version " + running.keeper_version;
  }
  if (running.version != cli_version) line += fmt::format(" (this cxpm is {})", cli_version);
  return line;
}

std::string version_text(const Home& home) {
  try {
    if (auto client = Client::connect(home, /*autostart=*/false)) {
      const PingResult running = client->call<method::Ping>();
      return versions_line(build_description(), &running);
    }
  } catch (const std::exception&) {
    // No daemon to ask (or one that does not answer): the CLI's own version is all we know.
  }
  return versions_line(build_description(), nullptr);
}

}  // namespace cxpm
