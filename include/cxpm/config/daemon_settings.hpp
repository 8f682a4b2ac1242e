#pragma once
// $CXPM_HOME/cxpm.yaml, the daemon's own settings (docs/notifications.md): for now `notify:`,
// the notifications of every app that has no exec or webhook of its own. Parsing is pure and
// reports every problem at file:line:column, as the ecosystem loader does.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/ecosystem.hpp"
#include "cxpm/config/notify_settings.hpp"

namespace cxpm {

struct DaemonSettings {
  std::optional<NotifySettings> notify;  // none: apps without their own are not notified
  bool operator==(const DaemonSettings&) const = default;
};

struct ParsedDaemonSettings {
  DaemonSettings settings;
  std::vector<ConfigError> errors;  // non-empty: the settings must not be used
  bool ok() const { return errors.empty(); }
};

// An empty file (or one of comments) is no settings.
ParsedDaemonSettings parse_daemon_settings(std::string_view text, const std::string& file_name);

}  // namespace cxpm
