#include "cxpm/protocol/log_events.hpp"

namespace cxpm {
namespace {

constexpr const char* kTail = "tail";
constexpr const char* kLive = "live";

Json optional_int(const std::optional<int>& value) {
  return value ? Json(*value) : Json();
}

std::optional<int> read_optional_int(const ArgsReader& reader, const char* key) {
  if (auto value = reader.optional_integer(key)) return static_cast<int>(*value);
  return std::nullopt;
}

}  // namespace

Json to_json(const TailEvent& event) {
  return Json{{"kind", kTail},
              {"file", event.file},
              {"stream", event.stream},
              {"app", event.app},
              {"id", optional_int(event.id)},
              {"instance", optional_int(event.instance)},
              {"json", event.json},
              {"lines", event.lines}};
}

void from_json(const ArgsReader& reader, TailEvent& out) {
  out.file = reader.string("file");
  out.stream = reader.string("stream");
  out.app = reader.string("app");
  out.id = read_optional_int(reader, "id");
  out.instance = read_optional_int(reader, "instance");
  out.json = reader.boolean("json");
  out.lines = reader.strings("lines");
}

Json to_json(const LiveEvent& event) {
  return Json{{"kind", kLive},          {"app", event.app},
              {"id", event.id},         {"instance", event.instance},
              {"stream", event.stream}, {"time", event.time_ms},
              {"lines", event.lines}};
}

void from_json(const ArgsReader& reader, LiveEvent& out) {
  out.app = reader.string("app");
  out.id = static_cast<int>(reader.integer("id"));
  out.instance = static_cast<int>(reader.integer("instance"));
  out.stream = reader.string("stream");
  out.time_ms = reader.integer("time");
  out.lines = reader.strings("lines");
}

Json to_json(const LogEvent& event) {
  return std::visit([](const auto& alternative) { return to_json(alternative); }, event);
}

void from_json(const ArgsReader& reader, LogEvent& out) {
  const std::string kind = reader.string("kind");
  if (kind == kTail) {
    from_json(reader, out.emplace<TailEvent>());
  } else if (kind == kLive) {
    from_json(reader, out.emplace<LiveEvent>());
  } else {
    throw ArgsError(reader.path_of("kind") + ": expected \"tail\" or \"live\", got \"" + kind +
                    "\"");
  }
}

}  // namespace cxpm
