#include "cxpm/protocol/notify_event.hpp"

#include "cxpm/core/signal_names.hpp"

namespace cxpm {
namespace {

// The kinds about a process that ended: for the others (unhealthy, memory_limit, ...) the
// instance's exit code is an earlier run's, and would mislead.
bool about_an_exit(const DaemonEvent& event) {
  return event.event == "crash" || event.event == "errored" ||
         event.event == "restart_budget_exceeded";
}

}  // namespace

Json notify_event_json(const DaemonEvent& event, int count) {
  Json out{{"event", event.event},       {"app", event.app}, {"id", event.id},
           {"instance", event.instance}, {"pid", event.pid}, {"time", event.time_ms},
           {"restarts", event.restarts}, {"count", count},   {"message", event.message}};
  if (!about_an_exit(event)) return out;
  if (event.exit_signal) {
    out["signal"] = signal_name(*event.exit_signal);
  } else if (event.exit_code) {
    out["exit_code"] = *event.exit_code;
  }
  return out;
}

std::vector<std::string> notify_event_environment(const DaemonEvent& event, int count) {
  const auto number = [](auto value) { return std::to_string(value); };
  const bool exited = about_an_exit(event);
  const bool signalled = exited && event.exit_signal;
  return {"CXPM_EVENT=" + event.event,
          "CXPM_APP=" + event.app,
          "CXPM_ID=" + number(event.id),
          "CXPM_INSTANCE=" + number(event.instance),
          "CXPM_PID=" + number(event.pid),
          "CXPM_EXIT_CODE=" +
              (exited && !signalled && event.exit_code ? number(*event.exit_code) : std::string()),
          "CXPM_SIGNAL=" + (signalled ? signal_name(*event.exit_signal) : std::string()),
          "CXPM_TIME=" + number(event.time_ms),
          "CXPM_RESTARTS=" + number(event.restarts),
          "CXPM_COUNT=" + number(count),
          "CXPM_MESSAGE=" + event.message,
          "CXPM_EVENT_JSON=" +
              notify_event_json(event, count).dump(-1, ' ', false, Json::error_handler_t::replace)};
}

}  // namespace cxpm
