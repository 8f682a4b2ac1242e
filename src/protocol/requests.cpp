#include "cxpm/protocol/requests.hpp"

#include "cxpm/core/signal_names.hpp"
#include "cxpm/protocol/app_spec_json.hpp"

namespace cxpm {
namespace {

std::vector<std::string> required_targets(const ArgsReader& reader) {
  auto targets = reader.strings("targets");
  if (targets.empty()) {
    throw ArgsError(reader.path_of("targets") + ": name at least one app, id, or \"all\"");
  }
  return targets;
}

// Absent: every app.
std::vector<std::string> targets_or_all(const ArgsReader& reader) {
  return reader.has("targets") ? required_targets(reader) : std::vector<std::string>{"all"};
}

std::vector<AppSpec> required_apps(const ArgsReader& reader) {
  auto apps = app_specs_from_json(reader);
  if (apps.empty()) throw ArgsError(reader.path_of("apps") + ": give at least one app");
  return apps;
}

}  // namespace

void put_queue_wait(Json& out, const QueueWait& args) {
  if (args.queue_wait) out["queue_wait_ms"] = args.queue_wait->count();
}

void read_queue_wait(const ArgsReader& reader, QueueWait& out) {
  const auto wait = reader.optional_integer("queue_wait_ms");
  if (!wait) return;
  if (*wait < 0 || *wait > kLongestQueueWait.count()) {
    throw ArgsError(reader.path_of("queue_wait_ms") + ": expected 0 to " +
                    std::to_string(kLongestQueueWait.count()) + " ms, got " +
                    std::to_string(*wait));
  }
  out.queue_wait = std::chrono::milliseconds{*wait};
}

Json to_json(const NoArgs&) {
  return Json::object();
}

void from_json(const ArgsReader&, NoArgs&) {}

Json to_json(const TargetsArgs& args) {
  Json out{{"targets", args.targets}};
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, TargetsArgs& out) {
  read_queue_wait(reader, out);
  out.targets = required_targets(reader);
}

Json to_json(const SignalArgs& args) {
  return {{"signal", args.signal}, {"targets", args.targets}};
}

void from_json(const ArgsReader& reader, SignalArgs& out) {
  const std::string given = reader.string("signal");
  const auto name = canonical_signal_name(given);
  if (!name) {
    throw ArgsError(reader.path_of("signal") + ": unknown signal '" + given +
                    "' (a name such as SIGUSR2 or USR2, or its number)");
  }
  out.signal = *name;
  out.targets = required_targets(reader);
}

Json to_json(const StartArgs& args) {
  Json out = args.targets ? Json{{"targets", *args.targets}} : app_specs_to_json(args.apps);
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, StartArgs& out) {
  read_queue_wait(reader, out);
  if (reader.has("targets")) {
    out.targets = required_targets(reader);
  } else {
    out.apps = required_apps(reader);
  }
}

Json to_json(const RestartArgs& args) {
  Json out = args.apps ? app_specs_to_json(*args.apps) : Json{{"targets", args.targets}};
  if (args.env) out["env"] = *args.env;
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, RestartArgs& out) {
  read_queue_wait(reader, out);
  if (reader.has("apps")) {
    out.apps = required_apps(reader);
  } else {
    out.targets = required_targets(reader);
  }
  if (reader.has("env")) out.env = reader.string_map("env");
}

Json to_json(const ReloadArgs& args) {
  Json out = to_json(static_cast<const RestartArgs&>(args));
  out["parallel"] = args.parallel;
  return out;
}

void from_json(const ArgsReader& reader, ReloadArgs& out) {
  out.parallel = reader.integer("parallel", 1);
  if (out.parallel < 1) throw ArgsError(reader.path_of("parallel") + ": at least 1");
  from_json(reader, static_cast<RestartArgs&>(out));
}

Json to_json(const ScaleArgs& args) {
  Json out{{"app", args.app}, {"count", args.count}};
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, ScaleArgs& out) {
  read_queue_wait(reader, out);
  out.app = reader.string("app");
  out.count = reader.string("count");
}

Json to_json(const LogsArgs& args) {
  return Json{{"targets", args.targets},
              {"lines", args.lines},
              {"out", args.out},
              {"err", args.err},
              {"follow", args.follow}};
}

void from_json(const ArgsReader& reader, LogsArgs& out) {
  out.lines = reader.integer("lines", 15);
  if (out.lines < 0 || out.lines > kMaxTailLines) {
    throw ArgsError(reader.path_of("lines") + ": expected 0 to " + std::to_string(kMaxTailLines) +
                    ", got " + std::to_string(out.lines));
  }
  out.out = reader.boolean("out", true);
  out.err = reader.boolean("err", true);
  out.follow = reader.boolean("follow", true);
  out.targets = targets_or_all(reader);
}

Json to_json(const FlushArgs& args) {
  return Json{{"targets", args.targets}};
}

void from_json(const ArgsReader& reader, FlushArgs& out) {
  out.targets = targets_or_all(reader);
}

}  // namespace cxpm
