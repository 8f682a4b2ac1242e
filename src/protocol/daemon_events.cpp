#include "cxpm/protocol/daemon_events.hpp"

namespace cxpm {
namespace {

constexpr std::int64_t kMaxEventLines = 100000;

Json optional_int(const std::optional<int>& value) {
  return value ? Json(*value) : Json();
}

std::optional<int> read_optional_int(const ArgsReader& reader, const char* key) {
  if (auto value = reader.optional_integer(key)) return static_cast<int>(*value);
  return std::nullopt;
}

}  // namespace

Json to_json(const EventsArgs& args) {
  return Json{{"lines", args.lines}, {"follow", args.follow}};
}

void from_json(const ArgsReader& reader, EventsArgs& out) {
  out.lines = reader.integer("lines", 50);
  if (out.lines < 0 || out.lines > kMaxEventLines) {
    throw ArgsError(reader.path_of("lines") + ": expected 0 to " + std::to_string(kMaxEventLines) +
                    ", got " + std::to_string(out.lines));
  }
  out.follow = reader.boolean("follow", false);
}

Json to_json(const DaemonEvent& event) {
  return Json{{"event", event.event},
              {"time", event.time_ms},
              {"app", event.app},
              {"id", event.id},
              {"instance", event.instance},
              {"pid", event.pid},
              {"exit_code", optional_int(event.exit_code)},
              {"exit_signal", optional_int(event.exit_signal)},
              {"restarts", event.restarts},
              {"message", event.message}};
}

void from_json(const ArgsReader& reader, DaemonEvent& out) {
  out.event = reader.string("event");
  out.time_ms = reader.integer("time");
  out.app = reader.string("app");
  out.id = static_cast<int>(reader.integer("id"));
  out.instance = static_cast<int>(reader.integer("instance"));
  out.pid = static_cast<int>(reader.integer("pid"));
  out.exit_code = read_optional_int(reader, "exit_code");
  out.exit_signal = read_optional_int(reader, "exit_signal");
  out.restarts = static_cast<int>(reader.integer("restarts"));
  out.message = reader.string("message");
}

}  // namespace cxpm
