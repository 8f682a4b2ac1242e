#pragma once
// What a notification hook is told (docs/notifications.md): the event as one JSON object —
// {"event": "crash", "app", "id", "instance", "pid", "exit_code" or "signal", "time",
// "restarts", "count", "message"} — on an exec hook's stdin and as a webhook's body, and the same
// as CXPM_* environment variables for a command.

#include <string>
#include <vector>

#include "cxpm/protocol/daemon_events.hpp"

namespace cxpm {

// `count`: the events the notification stands for (coalesced: 1, or how many came in the
// interval). How the process ended is told for the kinds about an exit (crash, errored,
// restart_budget_exceeded): "signal" by its name ("SIGSEGV"), else "exit_code".
Json notify_event_json(const DaemonEvent& event, int count);

// CXPM_EVENT, CXPM_APP, CXPM_ID, CXPM_INSTANCE, CXPM_PID, CXPM_EXIT_CODE, CXPM_SIGNAL,
// CXPM_TIME, CXPM_RESTARTS, CXPM_COUNT, CXPM_MESSAGE, and CXPM_EVENT_JSON (the whole object), as
// NAME=value.
std::vector<std::string> notify_event_environment(const DaemonEvent& event, int count);

}  // namespace cxpm
