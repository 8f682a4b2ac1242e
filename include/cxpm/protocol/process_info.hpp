#pragma once
// What the daemon reports about one instance: the rows of `cxpm ls` and the objects of `jlist`.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/core/status.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {

struct ProcessEvent {
  std::int64_t at_ms = 0;  // unix time
  std::string message;
  bool operator==(const ProcessEvent&) const = default;
};

struct ProcessInfo {
  int id = 0;  // unique in the daemon, stable across restarts (pm2's pm_id)
  std::string name;
  std::string app_namespace = "default";  // pm2's namespace
  int instance = 0;                       // 0..n-1 within the app
  int pid = 0;                            // 0 when not running
  Status status = Status::kStopped;
  int restarts = 0;
  int unstable_restarts = 0;
  std::int64_t uptime_ms = 0;
  std::int64_t created_at_ms = 0;  // unix time the app was added
  ExecMode exec_mode = ExecMode::kFork;
  double cpu = 0;            // percent of one CPU
  std::uint64_t memory = 0;  // RSS bytes
  std::optional<int> exit_code;
  std::optional<int> exit_signal;
  std::string out_log;
  std::string error_log;
  std::vector<ProcessEvent> events;  // recent history, oldest first; only in `describe`
  // How the daemon finds all of the app's processes: "cgroup" or "environ"; only in `describe`.
  std::string process_tracking;
  // Where `memory` comes from: "cgroup" (memory.current of the app's cgroup: all its
  // processes) or "rss" (the leader's resident set); only in `describe`.
  std::string memory_source;
  // The health check's state ("passing", "failing 2 of 3: connection refused"); "" without
  // one.
  std::string health;
  // Why the status is what it is, when that needs saying: "draining 120 ms: 1 connection
  // mid-request, 0 queued" for a stopping worker that drains first.
  std::string status_reason;
  // Cluster apps: how new connections reach the workers and whether retiring ones drain
  // (and if not, why); only in `describe`.
  std::string connection_steering;
  bool operator==(const ProcessInfo&) const = default;
};

Json to_json(const ProcessInfo& info);
void from_json(const ArgsReader& reader, ProcessInfo& out);

}  // namespace cxpm
