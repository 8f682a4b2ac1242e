#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

Json to_json(const ProcessInfo& info) {
  Json json{
      {"id", info.id},
      {"name", info.name},
      {"namespace", info.app_namespace},
      {"instance", info.instance},
      {"pid", info.pid},
      {"status", to_string(info.status)},
      {"restarts", info.restarts},
      {"unstable_restarts", info.unstable_restarts},
      {"uptime_ms", info.uptime_ms},
      {"created_at", info.created_at_ms},
      {"exec_mode", to_string(info.exec_mode)},
      {"cpu", info.cpu},
      {"memory", info.memory},
      {"exit_code", info.exit_code ? Json(*info.exit_code) : Json()},
      {"exit_signal", info.exit_signal ? Json(*info.exit_signal) : Json()},
      {"out_log", info.out_log},
      {"error_log", info.error_log},
  };
  if (!info.process_tracking.empty()) json["process_tracking"] = info.process_tracking;
  if (!info.memory_source.empty()) json["memory_source"] = info.memory_source;
  if (!info.health.empty()) json["health"] = info.health;
  if (!info.status_reason.empty()) json["status_reason"] = info.status_reason;
  if (!info.connection_steering.empty()) json["connection_steering"] = info.connection_steering;
  if (!info.events.empty()) {
    Json events = Json::array();
    for (const auto& event : info.events) {
      events.push_back({{"at", event.at_ms}, {"message", event.message}});
    }
    json["events"] = std::move(events);
  }
  return json;
}

void from_json(const ArgsReader& reader, ProcessInfo& out) {
  out.id = static_cast<int>(reader.integer("id"));
  out.name = reader.string("name");
  out.app_namespace = reader.string("namespace", "default");
  out.instance = static_cast<int>(reader.integer("instance"));
  out.pid = static_cast<int>(reader.integer("pid"));
  const std::string status = reader.string("status");
  const auto known_status = status_from_string(status);
  if (!known_status)
    throw ArgsError(reader.path_of("status") + ": unknown status '" + status + "'");
  out.status = *known_status;
  out.restarts = static_cast<int>(reader.integer("restarts"));
  out.unstable_restarts = static_cast<int>(reader.integer("unstable_restarts"));
  out.uptime_ms = reader.integer("uptime_ms");
  out.created_at_ms = reader.integer("created_at");
  const std::string mode = reader.string("exec_mode", "fork");
  if (mode != "fork" && mode != "cluster") {
    throw ArgsError(reader.path_of("exec_mode") + ": expected \"fork\" or \"cluster\"");
  }
  out.exec_mode = mode == "cluster" ? ExecMode::kCluster : ExecMode::kFork;
  out.cpu = reader.number("cpu");
  out.memory = static_cast<std::uint64_t>(reader.integer("memory"));
  if (auto code = reader.optional_integer("exit_code")) out.exit_code = static_cast<int>(*code);
  if (auto signal = reader.optional_integer("exit_signal")) {
    out.exit_signal = static_cast<int>(*signal);
  }
  out.out_log = reader.string("out_log");
  out.error_log = reader.string("error_log");
  out.process_tracking = reader.string("process_tracking");
  out.memory_source = reader.string("memory_source");
  out.health = reader.string("health");
  out.status_reason = reader.string("status_reason");
  out.connection_steering = reader.string("connection_steering");
  out.events.clear();
  for (const auto& event : reader.objects("events")) {
    out.events.push_back({event.integer("at"), event.string("message")});
  }
}

}  // namespace cxpm
