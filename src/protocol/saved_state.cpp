#include "cxpm/protocol/saved_state.hpp"

#include "cxpm/protocol/app_spec_json.hpp"
#include "cxpm/protocol/args.hpp"

namespace cxpm {
namespace {

constexpr const char* kStateFormat = "cxpm-state";
constexpr int kStateVersion = 1;

Json optional_number(const std::optional<int>& value) {
  return value ? Json(*value) : Json(nullptr);
}

std::optional<int> optional_int(const ArgsReader& reader, const char* key) {
  const auto value = reader.optional_integer(key);
  if (!value) return std::nullopt;
  if (*value < INT32_MIN || *value > INT32_MAX) {
    throw ArgsError(reader.path_of(key) + ": out of range");
  }
  return static_cast<int>(*value);
}

int whole_int(const ArgsReader& reader, const char* key, std::int64_t lowest) {
  const auto value = reader.integer(key);
  if (value < lowest || value > INT32_MAX) {
    throw ArgsError(reader.path_of(key) + ": out of range");
  }
  return static_cast<int>(value);
}

Json instance_to_json(const SavedInstance& instance) {
  Json events = Json::array();
  for (const auto& event : instance.events) {
    events.push_back({{"at_ms", event.at_ms}, {"message", event.message}});
  }
  return Json{{"id", instance.id},
              {"index", instance.index},
              {"pid", instance.pid},
              {"start_ticks", instance.start_ticks},
              {"status", to_string(instance.status)},
              {"restarts", instance.restarts},
              {"started_at_ms", instance.started_at_ms},
              {"exit_code", optional_number(instance.exit_code)},
              {"exit_signal", optional_number(instance.exit_signal)},
              {"spawn_token", instance.spawn_token},
              {"spawn_cgroup", instance.spawn_cgroup},
              {"socket_generation", instance.socket_generation},
              {"events", std::move(events)}};
}

SavedInstance instance_from_json(const ArgsReader& reader) {
  SavedInstance instance;
  instance.id = whole_int(reader, "id", 0);
  instance.index = whole_int(reader, "index", 0);
  instance.pid = whole_int(reader, "pid", 0);
  const auto ticks = reader.integer("start_ticks");
  if (ticks < 0) throw ArgsError(reader.path_of("start_ticks") + ": out of range");
  instance.start_ticks = static_cast<std::uint64_t>(ticks);
  const std::string status = reader.string("status");
  const auto parsed = status_from_string(status);
  if (!parsed) throw ArgsError(reader.path_of("status") + ": unknown status \"" + status + "\"");
  instance.status = *parsed;
  instance.restarts = whole_int(reader, "restarts", 0);
  instance.started_at_ms = reader.integer("started_at_ms");
  instance.exit_code = optional_int(reader, "exit_code");
  instance.exit_signal = optional_int(reader, "exit_signal");
  instance.spawn_token = reader.string("spawn_token");
  instance.spawn_cgroup = reader.string("spawn_cgroup");
  instance.socket_generation = whole_int(reader, "socket_generation", 0);
  for (const auto& event : reader.objects("events")) {
    instance.events.push_back({event.integer("at_ms"), event.string("message")});
  }
  return instance;
}

Json socket_group_to_json(const SavedSocketGroup& group) {
  Json sockets = Json::array();
  for (const auto& [slot, generation] : group.sockets) {
    sockets.push_back({{"slot", slot}, {"generation", generation}});
  }
  return Json{{"app", group.app}, {"address", group.address}, {"sockets", std::move(sockets)}};
}

SavedSocketGroup socket_group_from_json(const ArgsReader& reader) {
  SavedSocketGroup group{reader.string("app"), reader.string("address"), {}};
  for (const auto& socket : reader.objects("sockets")) {
    group.sockets.emplace_back(whole_int(socket, "slot", 0), whole_int(socket, "generation", 0));
  }
  return group;
}

}  // namespace

std::string state_to_text(const SavedState& state) {
  Json apps = Json::array();
  for (const auto& app : state.apps) {
    Json instances = Json::array();
    for (const auto& instance : app.instances) instances.push_back(instance_to_json(instance));
    apps.push_back({{"spec", to_json(app.spec)},
                    {"created_at_ms", app.created_at_ms},
                    {"instances", std::move(instances)}});
  }
  Json groups = Json::array();
  for (const auto& group : state.socket_groups) groups.push_back(socket_group_to_json(group));
  const Json document{{"format", kStateFormat},
                      {"version", kStateVersion},
                      {"written_at_ms", state.written_at_ms},
                      {"written_by", state.written_by},
                      {"boot_id", state.boot_id},
                      {"next_id", state.next_id},
                      {"apps", std::move(apps)},
                      {"socket_groups", std::move(groups)}};
  // Compact: it is rewritten on every change of the table, and read by programs. Bytes that
  // are not UTF-8 (an environment may hold any) become \ufffd rather than failing the write.
  return document.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

ReadState state_from_text(const std::string& text) {
  const Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw ArgsError("state.json: not valid JSON");
  const ArgsReader reader(document, "state.json");
  if (reader.string("format") != kStateFormat) {
    throw ArgsError("state.json: not a cxpm state (format is not \"cxpm-state\")");
  }
  if (const auto version = reader.integer("version"); version != kStateVersion) {
    throw ArgsError("state.json: version " + std::to_string(version) +
                    " is not one this cxpm reads (" + std::to_string(kStateVersion) + ")");
  }
  ReadState read;
  read.state.written_at_ms = reader.integer("written_at_ms");
  read.state.written_by = reader.string("written_by");
  read.state.boot_id = reader.string("boot_id");
  read.state.next_id = whole_int(reader, "next_id", 0);
  for (const auto& app : reader.objects("apps")) {
    try {
      SavedApp saved;
      saved.spec = app_spec_from_json(app.object("spec"));
      saved.created_at_ms = app.integer("created_at_ms");
      for (const auto& instance : app.objects("instances")) {
        saved.instances.push_back(instance_from_json(instance));
      }
      read.state.apps.push_back(std::move(saved));
    } catch (const std::exception& error) {
      read.broken_apps.push_back(error.what());
    }
  }
  try {
    for (const auto& group : reader.objects("socket_groups")) {
      read.state.socket_groups.push_back(socket_group_from_json(group));
    }
  } catch (const std::exception&) {
    // Only steering needs them: without them adopted groups go to the kernel's hash.
    read.state.socket_groups.clear();
  }
  return read;
}

}  // namespace cxpm
