#include "cxpm/config/notify_settings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "cxpm/config/health_check.hpp"

namespace cxpm {

bool NotifySettings::wants(std::string_view kind) const {
  if (std::ranges::find(kNotifyEventKinds, kind) == kNotifyEventKinds.end()) return false;
  return events.empty() || std::ranges::find(events, kind) != events.end();
}

NotifySettings notify_settings_of(const AppSpec& spec) {
  return {.events = spec.notify_events,
          .exec = spec.notify_exec,
          .webhook = spec.notify_webhook,
          .interval = spec.notify_interval,
          .timeout = spec.notify_timeout};
}

void set_notify_settings(const NotifySettings& settings, AppSpec& spec) {
  spec.notify_events = settings.events;
  spec.notify_exec = settings.exec;
  spec.notify_webhook = settings.webhook;
  spec.notify_interval = settings.interval;
  spec.notify_timeout = settings.timeout;
}

std::optional<NotifyProblem> notify_problem(const AppSpec& spec) {
  for (const std::string& kind : spec.notify_events) {
    if (std::ranges::find(kNotifyEventKinds, kind) != kNotifyEventKinds.end()) continue;
    return NotifyProblem{"notify_events",
                         fmt::format("notify_events: unknown event \"{}\" (expected {})", kind,
                                     fmt::join(kNotifyEventKinds, ", "))};
  }
  if (!spec.notify_webhook.empty()) {
    if (spec.notify_webhook.starts_with("https://")) {
      return NotifyProblem{"notify_webhook",
                           fmt::format("notify_webhook: https is not supported (cxpm has no TLS), "
                                       "got \"{}\"; use an http:// URL, such as a relay on "
                                       "this machine",
                                       spec.notify_webhook)};
    }
    std::string error;
    if (!parse_http_url(spec.notify_webhook, &error)) {
      return NotifyProblem{"notify_webhook", "notify_webhook: " + error};
    }
  }
  if (spec.notify_interval.count() <= 0) {
    return NotifyProblem{"notify_interval",
                         "notify_interval: must be more than 0 (it is what keeps a crash loop "
                         "from sending a notification per crash)"};
  }
  if (spec.notify_timeout.count() <= 0) {
    return NotifyProblem{"notify_timeout", "notify_timeout: must be more than 0"};
  }
  return std::nullopt;
}

}  // namespace cxpm
