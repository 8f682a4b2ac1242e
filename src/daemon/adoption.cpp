#include "cxpm/daemon/adoption.hpp"

#include <spdlog/spdlog.h>

#include "cxpm/daemon/dump_file.hpp"
#include "cxpm/daemon/state_writer.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/protocol/saved_state.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
namespace {

constexpr const char* kStateName = "state.json";

// Rebuilds the table state.json holds. When the table was read whole (or there is none),
// returns every spawn it records: a process an earlier daemon started is one of them, or
// owned by nobody.
std::optional<std::vector<SpawnTag>> rebuild(Supervisor& supervisor, const Home& home) {
  std::optional<std::string> text;
  try {
    text = read_home_file(home, kStateName);
  } catch (const std::exception& error) {
    spdlog::error("state.json cannot be read ({}); starting with no apps", error.what());
    return std::nullopt;
  }
  if (!text)
    return std::vector<SpawnTag>{};  // a first start, or the last daemon ended with its apps
  ReadState read;
  try {
    read = state_from_text(*text);
  } catch (const std::exception& error) {
    spdlog::error("{}; starting with no apps", error.what());
    return std::nullopt;
  }
  for (const auto& problem : read.broken_apps) {
    spdlog::error("{}; that app is not brought back", problem);
  }
  const std::string boot = read_boot_id();
  const bool same_boot = read.state.boot_id.empty() || boot.empty() || read.state.boot_id == boot;
  if (!same_boot) spdlog::info("state.json was written before the machine restarted");
  std::vector<SpawnTag> recorded;
  for (const auto& app : read.state.apps) {
    for (const auto& instance : app.instances) {
      if (!instance.spawn_token.empty()) recorded.push_back({instance.spawn_token, {}});
    }
  }
  supervisor.adopt_listening_sockets();
  std::size_t instances = 0;
  for (auto& app : read.state.apps) {
    if (supervisor.find_app(app.spec.name)) {
      spdlog::error("state.json: app '{}' is recorded twice; the second is not brought back",
                    app.spec.name);
      continue;
    }
    instances += app.instances.size();
    supervisor.adopt(std::move(app), read.state.next_id, same_boot);
  }
  supervisor.restore_socket_groups(read.state.socket_groups);
  spdlog::info("state.json ({}): {} app(s), {} instance(s) brought back", read.state.written_by,
               supervisor.apps().size(), instances);
  for (const auto& key : supervisor.kept_fds().untaken()) {
    if (key == "control" || key == "notify") continue;
    // The descriptors of a process the table did not record (it was started just before the
    // previous daemon ended, before its table reached the disk): nothing here reads them.
    spdlog::warn("kept descriptor {} belongs to no recorded instance; closed", key);
    supervisor.kept_fds().take(key);
  }
  if (!read.broken_apps.empty()) return std::nullopt;
  return recorded;
}

}  // namespace

void adopt_saved_state(Supervisor& supervisor, const Home& home) {
  for (const auto& name : sweep_temporary_files(home, "dump.json")) {
    spdlog::info("removed {}, left by a daemon that died while writing it", name);
  }
  if (const auto recorded = rebuild(supervisor, home)) {
    supervisor.stop_untracked(*recorded);
  } else {
    spdlog::warn(
        "processes an earlier daemon started are left running: the table that would "
        "say which are whose was not read whole");
  }
  supervisor.record_state_with(std::make_unique<StateWriter>(supervisor));
}

std::string flush_state_now(Supervisor& supervisor) {
  if (auto* writer = supervisor.state_writer()) return writer->flush_now();
  return "the app table is not being recorded";
}

}  // namespace cxpm
