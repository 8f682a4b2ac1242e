#pragma once
// The table of the protocol's methods: each one's name, the type of its arguments, of its
// result and of its events, and whether it is a lifecycle operation (waits its turn on its
// apps; see docs/protocol.md, "One operation per app at a time"). The daemon registers a
// handler per entry (daemon/command_dispatch.cpp); the CLI calls them by type
// (Client::call<method::Stop>). A new method is one line here, its types in requests.hpp and
// replies.hpp, and its handler.

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "cxpm/protocol/daemon_events.hpp"
#include "cxpm/protocol/log_events.hpp"
#include "cxpm/protocol/persistence.hpp"
#include "cxpm/protocol/replies.hpp"
#include "cxpm/protocol/requests.hpp"
#include "cxpm/protocol/update.hpp"
#include "cxpm/protocol/web.hpp"

namespace cxpm {

// A method name as a template argument.
template <std::size_t N>
struct MethodName {
  constexpr MethodName(const char (&text)[N]) { std::copy_n(text, N, chars); }  // NOLINT
  char chars[N];
};

enum class Turn { kRunsAtOnce, kWaitsForItsApps };

struct NoEvents {};

template <MethodName Name, typename ArgsType, typename ResultType,
          Turn TurnType = Turn::kRunsAtOnce, typename EventType = NoEvents>
struct Method {
  static constexpr std::string_view kName{Name.chars, sizeof(Name.chars) - 1};
  static constexpr bool kWaitsForItsApps = TurnType == Turn::kWaitsForItsApps;
  using Args = ArgsType;
  using Result = ResultType;
  using Event = EventType;
};

namespace method {
constexpr Turn kLifecycle = Turn::kWaitsForItsApps;

using Ping = Method<"ping", NoArgs, PingResult>;
using List = Method<"list", NoArgs, ProcessesResult>;
using Describe = Method<"describe", TargetsArgs, DescribeResult>;
using Start = Method<"start", StartArgs, ProcessesResult, kLifecycle>;
using Stop = Method<"stop", TargetsArgs, ProcessesResult, kLifecycle>;
using Restart = Method<"restart", RestartArgs, ProcessesResult, kLifecycle>;
using Reload = Method<"reload", ReloadArgs, ReloadResult, kLifecycle>;
using Delete = Method<"delete", TargetsArgs, ProcessesResult, kLifecycle>;
using Reset = Method<"reset", TargetsArgs, ProcessesResult, kLifecycle>;
using Scale = Method<"scale", ScaleArgs, ProcessesResult, kLifecycle>;
using Kill = Method<"kill", NoArgs, KillResult>;  // never waits: it closes the queue
using Logs = Method<"logs", LogsArgs, EmptyResult, Turn::kRunsAtOnce, LogEvent>;
using Flush = Method<"flush", FlushArgs, FlushResult>;
using ReloadLogs = Method<"reloadLogs", NoArgs, ReloadLogsResult>;
// A signal to processes: runs at once, as pm2's does; it changes no app's state.
using SendSignal = Method<"sendSignal", SignalArgs, ProcessesResult>;
using Events = Method<"events", EventsArgs, EmptyResult, Turn::kRunsAtOnce, DaemonEvent>;
// The saved list is every app's: these wait for all that is under way (persistence.hpp).
using Save = Method<"save", SaveArgs, SaveResult, kLifecycle>;
using Resurrect = Method<"resurrect", WholeListArgs, ResurrectResult, kLifecycle>;
using ClearDump = Method<"cleardump", WholeListArgs, ClearDumpResult, kLifecycle>;
// Waits for every operation under way: no app is handed over in the middle of a reload.
using Update = Method<"update", UpdateArgs, UpdateResult, kLifecycle>;
// Whether and where the daemon serves HTTP (web.hpp); runs at once.
using Web = Method<"web", WebArgs, WebResult>;
}  // namespace method

}  // namespace cxpm
