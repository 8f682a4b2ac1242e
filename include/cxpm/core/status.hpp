#pragma once
// The life of one instance, in pm2's words.

#include <optional>
#include <string_view>

namespace cxpm {

enum class Status {
  kLaunching,       // spawned, not yet ready
  kOnline,          // running (and ready, when the app signals readiness)
  kStopping,        // asked to stop; waiting for it to exit
  kStopped,         // not running, on purpose
  kErrored,         // not running; gave up restarting
  kWaitingRestart,  // exited; a restart is scheduled
  // Shown, never held: an online instance whose health check is failing (docs/health.md).
  kUnhealthy,
};

std::string_view to_string(Status status);
std::optional<Status> status_from_string(std::string_view text);

// Whether a process exists for an instance in this status.
bool is_running(Status status);

}  // namespace cxpm
