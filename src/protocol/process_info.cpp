#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

Json to_json(const ProcessInfo& info) {
  Json json{
      {"id", info.id},
      {"name", info.name},
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
  if (!info.events.empty()) {
    Json events = Json::array();
    for (const auto& event : info.events) {
      events.push_back({{"at", event.at_ms}, {"message", event.message}});
    }
    json["events"] = std::move(events);
  }
  return json;
}

ProcessInfo process_info_from_json(const Json& json) {
  ProcessInfo info;
  info.id = json.value("id", 0);
  info.name = json.value("name", std::string());
  info.instance = json.value("instance", 0);
  info.pid = json.value("pid", 0);
  info.status = status_from_string(json.value("status", std::string())).value_or(Status::kErrored);
  info.restarts = json.value("restarts", 0);
  info.unstable_restarts = json.value("unstable_restarts", 0);
  info.uptime_ms = json.value("uptime_ms", std::int64_t{0});
  info.created_at_ms = json.value("created_at", std::int64_t{0});
  info.exec_mode =
      json.value("exec_mode", std::string()) == "cluster" ? ExecMode::kCluster : ExecMode::kFork;
  info.cpu = json.value("cpu", 0.0);
  info.memory = json.value("memory", std::uint64_t{0});
  if (auto it = json.find("exit_code"); it != json.end() && it->is_number_integer()) {
    info.exit_code = it->get<int>();
  }
  if (auto it = json.find("exit_signal"); it != json.end() && it->is_number_integer()) {
    info.exit_signal = it->get<int>();
  }
  info.out_log = json.value("out_log", std::string());
  info.error_log = json.value("error_log", std::string());
  info.process_tracking = json.value("process_tracking", std::string());
  info.memory_source = json.value("memory_source", std::string());
  if (auto it = json.find("events"); it != json.end() && it->is_array()) {
    for (const auto& event : *it) {
      info.events.push_back(
          {event.value("at", std::int64_t{0}), event.value("message", std::string())});
    }
  }
  return info;
}

}  // namespace cxpm
