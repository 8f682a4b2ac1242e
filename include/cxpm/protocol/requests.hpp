#pragma once
// The arguments of each method (`args` of a request), one type per shape; methods.hpp says
// which method takes which. Reading checks the whole shape, so a method only checks what
// needs the daemon's state (does the app exist).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/protocol/args.hpp"

namespace cxpm {

// How long a lifecycle operation waits for its apps (docs/protocol.md, "One operation per app
// at a time") unless its request says: longer than an ordinary stop, restart or reload takes.
inline constexpr std::chrono::milliseconds kDefaultQueueWait{30000};
inline constexpr std::chrono::milliseconds kLongestQueueWait{600000};
// `logs`: at most this many last lines of each file.
inline constexpr std::int64_t kMaxTailLines = 100000;

// Methods that take nothing: ping, list, kill, reloadLogs.
struct NoArgs {
  bool operator==(const NoArgs&) const = default;
};

// What every lifecycle operation may add: its own longest wait in the queue (0 to
// kLongestQueueWait; none: kDefaultQueueWait).
struct QueueWait {
  std::optional<std::chrono::milliseconds> queue_wait;
  bool operator==(const QueueWait&) const = default;
};
// `queue_wait_ms` on the wire, for every arguments type that has it.
void put_queue_wait(Json& out, const QueueWait& args);
void read_queue_wait(const ArgsReader& reader, QueueWait& out);

// Names of apps, process ids or "all"; at least one.
struct TargetsArgs : QueueWait {
  std::vector<std::string> targets;
  bool operator==(const TargetsArgs&) const = default;
};

// `start`: new apps, or apps the daemon has (by targets).
struct StartArgs : QueueWait {
  std::vector<AppSpec> apps;                        // at least one unless targets are given
  std::optional<std::vector<std::string>> targets;  // given: start these, ignore apps
  bool operator==(const StartArgs&) const = default;
};

// `restart`: targets, with `env` merged into their apps' environments first; or app objects
// that replace the specs of the apps of those names.
struct RestartArgs : QueueWait {
  std::vector<std::string> targets;
  std::optional<Environment> env;
  std::optional<std::vector<AppSpec>> apps;  // given: restart with these specs (not targets)
  bool operator==(const RestartArgs&) const = default;
};

// `reload`: as restart, and how many instances are replaced at a time (at least 1).
struct ReloadArgs : RestartArgs {
  std::int64_t parallel = 1;
  bool operator==(const ReloadArgs&) const = default;
};

// `scale`: N, +N or -N instances of one app.
struct ScaleArgs : QueueWait {
  std::string app;
  std::string count;
  bool operator==(const ScaleArgs&) const = default;
};

// `logs`: the last `lines` of each file of the targets (default all), then, with follow,
// their new lines.
struct LogsArgs {
  std::vector<std::string> targets{"all"};
  std::int64_t lines = 15;
  bool out = true;
  bool err = true;
  bool follow = true;
  bool operator==(const LogsArgs&) const = default;
};

// `flush`: the targets' log files (default all).
struct FlushArgs {
  std::vector<std::string> targets{"all"};
  bool operator==(const FlushArgs&) const = default;
};

// `sendSignal`: a signal (a name or number of core/signal_names, kept as its name, e.g.
// "SIGUSR2") for the targets' processes, sent as `stop` sends kill_signal.
struct SignalArgs {
  std::string signal;
  std::vector<std::string> targets;
  bool operator==(const SignalArgs&) const = default;
};

Json to_json(const NoArgs&);
void from_json(const ArgsReader& reader, NoArgs& out);
Json to_json(const TargetsArgs& args);
void from_json(const ArgsReader& reader, TargetsArgs& out);
Json to_json(const StartArgs& args);
void from_json(const ArgsReader& reader, StartArgs& out);
Json to_json(const RestartArgs& args);
void from_json(const ArgsReader& reader, RestartArgs& out);
Json to_json(const ReloadArgs& args);
void from_json(const ArgsReader& reader, ReloadArgs& out);
Json to_json(const ScaleArgs& args);
void from_json(const ArgsReader& reader, ScaleArgs& out);
Json to_json(const LogsArgs& args);
void from_json(const ArgsReader& reader, LogsArgs& out);
Json to_json(const SignalArgs& args);
void from_json(const ArgsReader& reader, SignalArgs& out);
Json to_json(const FlushArgs& args);
void from_json(const ArgsReader& reader, FlushArgs& out);

}  // namespace cxpm
