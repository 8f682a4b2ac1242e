#pragma once
// $CXPM_HOME/state.json: the daemon's app table, rewritten on every change so that the next
// daemon (after a crash or an update) can rebuild it and adopt the processes still running.
//
//   {"format": "cxpm-state", "version": 1, "written_at_ms": ..., "written_by": "cxpm X.Y",
//    "boot_id": "<the kernel's boot id>",
//    "next_id": N,
//    "apps": [{"spec": {<every field of the app's spec, as dump.json holds it>},
//              "created_at_ms": ...,
//              "instances": [{"id", "index", "pid", "start_ticks", "status", "restarts",
//                             "started_at_ms", "exit_code", "exit_signal",
//                             "spawn_token", "spawn_cgroup", "socket_generation",
//                             "events": [{"at_ms", "message"}, ...]}, ...]}, ...],
//    "socket_groups": [{"app", "address", "sockets": [{"slot", "generation"}, ...]}, ...]}
//
// socket_groups: each SO_REUSEPORT group's sockets in the kernel's order, which the next
// daemon cannot read from the kernel and needs to go on steering connections.
// pid 0 means no process; start_ticks is the process's start time in clock ticks since boot
// (/proc/<pid>/stat field 22), which tells the recorded process from a later one that was given
// the same pid. Times are unix milliseconds.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/core/status.hpp"
#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

struct SavedInstance {
  int id = 0;
  int index = 0;
  int pid = 0;
  std::uint64_t start_ticks = 0;
  Status status = Status::kStopped;
  int restarts = 0;
  std::int64_t started_at_ms = 0;
  std::optional<int> exit_code;
  std::optional<int> exit_signal;
  std::string spawn_token;           // CXPM_SPAWN_ID of its spawn
  std::string spawn_cgroup;          // its cgroup leaf; empty when tracked by environment
  int socket_generation = 0;         // of its slot's reuseport sockets (one per reload)
  std::vector<ProcessEvent> events;  // oldest first
  bool operator==(const SavedInstance&) const = default;
};

struct SavedApp {
  AppSpec spec;
  std::int64_t created_at_ms = 0;
  std::vector<SavedInstance> instances;
};

// A reuseport group's sockets (the worker slot and generation each belongs to), in the order
// of the kernel's array of the group.
struct SavedSocketGroup {
  std::string app;
  std::string address;
  std::vector<std::pair<int, int>> sockets;  // (slot, generation)
  bool operator==(const SavedSocketGroup&) const = default;
};

struct SavedState {
  std::int64_t written_at_ms = 0;
  std::string written_by;
  // /proc/sys/kernel/random/boot_id when written: pids of another boot name other processes.
  std::string boot_id;
  int next_id = 0;
  std::vector<SavedApp> apps;
  std::vector<SavedSocketGroup> socket_groups;
};

std::string state_to_text(const SavedState& state);

// What a state file holds: the apps that could be read, and one sentence per app that could
// not (`state.json: apps[2].spec.instances: ...`): one broken app does not lose the others.
struct ReadState {
  SavedState state;
  std::vector<std::string> broken_apps;
};
// Throws ArgsError naming what is wrong when the file as a whole is unusable (not JSON, not a
// cxpm state, another version).
ReadState state_from_text(const std::string& text);

}  // namespace cxpm
