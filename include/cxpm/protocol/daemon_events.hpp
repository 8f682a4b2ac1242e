#pragma once
// `events` (docs/protocol.md, "`events`"): what happened to the daemon's apps, across apps —
// starts, exits, restarts and their reasons, readiness, health — as pm2 users read pm2.log.
// A notification hook gets it with a count (notify_event.hpp, docs/notifications.md).

#include <cstdint>
#include <optional>
#include <string>

#include "cxpm/protocol/args.hpp"

namespace cxpm {

// `events`: the last `lines` events, then (following) each new one as it happens.
struct EventsArgs {
  std::int64_t lines = 50;
  bool follow = false;
  bool operator==(const EventsArgs&) const = default;
};

struct DaemonEvent {
  std::int64_t time_ms = 0;  // unix time
  // "crash", "restart", "errored", "unhealthy", "restart_budget_exceeded", "reload_failed",
  // "memory_limit", or "info" for the rest (started, stopped, ready, ...).
  std::string event;
  std::string app;
  int id = 0;
  int instance = 0;
  int pid = 0;  // the process it is about (the one that exited, for an exit)
  std::optional<int> exit_code;
  std::optional<int> exit_signal;
  int restarts = 0;
  std::string message;  // as `describe` shows it
  bool operator==(const DaemonEvent&) const = default;
};

Json to_json(const EventsArgs& args);
void from_json(const ArgsReader& reader, EventsArgs& out);
Json to_json(const DaemonEvent& event);
void from_json(const ArgsReader& reader, DaemonEvent& out);

}  // namespace cxpm
