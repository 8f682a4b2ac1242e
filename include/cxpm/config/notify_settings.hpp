#pragma once
// What an app's notifications are (the notify_* options, docs/notifications.md): the event kinds
// that are told, the hooks (a command line, an http:// webhook), the coalescing interval and the
// hooks' time limit; and the check of them that `start` and the loaders run. Pure: the daemon's
// Notifications runs the hooks.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

// The kinds of event a hook can be told of, as the event log names them.
inline constexpr std::array<std::string_view, 7> kNotifyEventKinds{
    "crash",         "restart",     "errored", "unhealthy", "restart_budget_exceeded",
    "reload_failed", "memory_limit"};

struct NotifySettings {
  std::vector<std::string> events;  // empty: every kind
  std::string exec;
  std::string webhook;
  Milliseconds interval{30000};
  Milliseconds timeout{10000};

  bool has_hook() const { return !exec.empty() || !webhook.empty(); }
  // Whether an event of `kind` is told: one of kNotifyEventKinds, and in `events` when given.
  bool wants(std::string_view kind) const;
  bool operator==(const NotifySettings&) const = default;
};

NotifySettings notify_settings_of(const AppSpec& spec);
void set_notify_settings(const NotifySettings& settings, AppSpec& spec);

struct NotifyProblem {
  std::string_view option;  // "notify_webhook"
  std::string message;      // starts with the option's name
};

// What is wrong with the spec's notify_* options: an unknown event kind, a webhook that is not
// an http:// URL (https is refused: there is no TLS here), an interval or timeout of 0.
std::optional<NotifyProblem> notify_problem(const AppSpec& spec);

}  // namespace cxpm
