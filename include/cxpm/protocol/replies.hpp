#pragma once
// The results of each method (`result` of a reply) and the structured `details` of its
// errors, one type per shape; methods.hpp says which method answers with which.

#include <cstdint>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

// Methods that answer only that they are done: `logs` without follow.
struct EmptyResult {
  bool operator==(const EmptyResult&) const = default;
};

struct PingResult {
  int pid = 0;
  std::string version;
  std::int64_t uptime_ms = 0;
  // The keeper (0: none; keeper_lost says why, e.g. it was killed). update_failure: why the
  // last `cxpm update` was rolled back, told by the keeper to this daemon at its start.
  int keeper_pid = 0;
  std::string keeper_version;
  std::string keeper_lost;
  std::string update_failure;
  bool operator==(const PingResult&) const = default;
};

// list, start, stop, restart, delete, reset, scale: one object per instance.
struct ProcessesResult {
  std::vector<ProcessInfo> processes;
  // Daemon-wide troubles `ls` shows under its table (state.json cannot be written); only in
  // `list`'s answer.
  std::vector<std::string> warnings;
  // Only in `start`'s answer, for apps with depends_on (docs/dependencies.md): which app
  // waited for what, and the apps not started because a dependency failed or timed out.
  std::vector<std::string> notes;
  std::vector<std::string> not_started;
  bool operator==(const ProcessesResult&) const = default;
};

// describe: each instance with its app's whole spec (`env` merged).
struct DescribedProcess {
  ProcessInfo info;
  AppSpec spec;
  bool operator==(const DescribedProcess&) const = default;
};

struct DescribeResult {
  std::vector<DescribedProcess> processes;
  bool operator==(const DescribeResult&) const = default;
};

// One instance a reload went through.
struct ReloadedInstance {
  std::string name;
  int instance = 0;
  int id = 0;
  int old_pid = 0;
  int new_pid = 0;
  std::int64_t ready_ms = 0;
  bool restarted = false;  // fork mode: no shared socket, so stop then start, as pm2 does
  // How long the old worker drained (no new connections, its own answered) before it was
  // signalled; 0 when it did not drain (fork mode, shared sockets, drain_timeout 0).
  std::int64_t drain_ms = 0;
  bool operator==(const ReloadedInstance&) const = default;
};

struct ReloadResult {
  std::vector<ProcessInfo> processes;
  std::vector<ReloadedInstance> reloaded;
  bool operator==(const ReloadResult&) const = default;
};

// The details of a failed reload: what was replaced before it failed.
struct ReloadFailure {
  std::vector<ReloadedInstance> reloaded;
  bool operator==(const ReloadFailure&) const = default;
};

struct KillResult {
  std::int64_t stopped = 0;  // instances stopped
  int pid = 0;               // the daemon's, which exits after this reply
  bool operator==(const KillResult&) const = default;
};

struct FlushResult {
  std::vector<std::string> files;  // emptied
  bool operator==(const FlushResult&) const = default;
};

// The details of a flush that could not empty some files.
struct FlushFailure {
  std::vector<std::string> files;
  std::vector<std::string> errors;
  bool operator==(const FlushFailure&) const = default;
};

struct ReloadLogsResult {
  std::int64_t reopened = 0;
  bool operator==(const ReloadLogsResult&) const = default;
};

// The details of a reloadLogs that could not reopen some files.
struct ReopenFailure {
  std::int64_t reopened = 0;
  std::vector<std::string> errors;
  bool operator==(const ReopenFailure&) const = default;
};

// The details of `not_found` for an app name: the names the daemon has.
struct UnknownAppDetails {
  std::vector<std::string> known;
  bool operator==(const UnknownAppDetails&) const = default;
};

// The details of `busy`: the operation holding the apps, and for how long.
struct BusyDetails {
  std::string operation;
  bool every_app = false;         // "apps": "all"
  std::vector<std::string> apps;  // otherwise their names
  bool running = false;           // false: it is itself still waiting
  std::int64_t for_ms = 0;
  bool operator==(const BusyDetails&) const = default;
};

Json to_json(const EmptyResult&);
void from_json(const ArgsReader& reader, EmptyResult& out);
Json to_json(const PingResult& result);
void from_json(const ArgsReader& reader, PingResult& out);
Json to_json(const ProcessesResult& result);
void from_json(const ArgsReader& reader, ProcessesResult& out);
Json to_json(const DescribedProcess& process);
void from_json(const ArgsReader& reader, DescribedProcess& out);
Json to_json(const DescribeResult& result);
void from_json(const ArgsReader& reader, DescribeResult& out);
Json to_json(const ReloadedInstance& step);
void from_json(const ArgsReader& reader, ReloadedInstance& out);
Json to_json(const ReloadResult& result);
void from_json(const ArgsReader& reader, ReloadResult& out);
Json to_json(const ReloadFailure& details);
void from_json(const ArgsReader& reader, ReloadFailure& out);
Json to_json(const KillResult& result);
void from_json(const ArgsReader& reader, KillResult& out);
Json to_json(const FlushResult& result);
void from_json(const ArgsReader& reader, FlushResult& out);
Json to_json(const FlushFailure& details);
void from_json(const ArgsReader& reader, FlushFailure& out);
Json to_json(const ReloadLogsResult& result);
void from_json(const ArgsReader& reader, ReloadLogsResult& out);
Json to_json(const ReopenFailure& details);
void from_json(const ArgsReader& reader, ReopenFailure& out);
Json to_json(const UnknownAppDetails& details);
void from_json(const ArgsReader& reader, UnknownAppDetails& out);
Json to_json(const BusyDetails& details);
void from_json(const ArgsReader& reader, BusyDetails& out);

}  // namespace cxpm
