#include "cxpm/protocol/replies.hpp"

#include "cxpm/protocol/app_spec_json.hpp"

namespace cxpm {
namespace {

template <typename T>
Json array_of(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

template <typename T>
std::vector<T> read_array(const ArgsReader& reader, const char* key) {
  std::vector<T> out;
  for (const auto& item : reader.objects(key)) {
    out.emplace_back();
    from_json(item, out.back());
  }
  return out;
}

}  // namespace

Json to_json(const EmptyResult&) {
  return Json::object();
}

void from_json(const ArgsReader&, EmptyResult&) {}

Json to_json(const PingResult& result) {
  return Json{{"pid", result.pid},
              {"version", result.version},
              {"uptime_ms", result.uptime_ms},
              {"keeper_pid", result.keeper_pid},
              {"keeper_version", result.keeper_version},
              {"keeper_lost", result.keeper_lost},
              {"update_failure", result.update_failure}};
}

void from_json(const ArgsReader& reader, PingResult& out) {
  out.pid = static_cast<int>(reader.integer("pid"));
  out.version = reader.string("version");
  out.uptime_ms = reader.integer("uptime_ms");
  out.keeper_pid = static_cast<int>(reader.integer("keeper_pid", 0));
  out.keeper_version = reader.string("keeper_version");
  out.keeper_lost = reader.string("keeper_lost");
  out.update_failure = reader.string("update_failure");
}

Json to_json(const ProcessesResult& result) {
  Json out{{"processes", array_of(result.processes)}};
  if (!result.warnings.empty()) out["warnings"] = result.warnings;
  if (!result.notes.empty()) out["notes"] = result.notes;
  if (!result.not_started.empty()) out["not_started"] = result.not_started;
  return out;
}

void from_json(const ArgsReader& reader, ProcessesResult& out) {
  out.processes = read_array<ProcessInfo>(reader, "processes");
  out.warnings = reader.strings("warnings");
  out.notes = reader.strings("notes");
  out.not_started = reader.strings("not_started");
}

Json to_json(const DescribedProcess& process) {
  Json out = to_json(process.info);
  out["spec"] = to_json(process.spec);
  return out;
}

void from_json(const ArgsReader& reader, DescribedProcess& out) {
  from_json(reader, out.info);
  out.spec = app_spec_from_json(reader.object("spec"));
}

// The specs' common environment goes once, as `shared_env`; each spec's `env` is its own.
Json to_json(const DescribeResult& result) {
  std::vector<const AppSpec*> specs;
  specs.reserve(result.processes.size());
  for (const auto& process : result.processes) specs.push_back(&process.spec);
  const AppEnvironment::Base shared = most_shared_base(specs);
  Json processes = Json::array();
  for (const auto& process : result.processes) {
    Json out = to_json(process.info);
    out["spec"] = to_json(process.spec, shared);
    processes.push_back(std::move(out));
  }
  Json out{{"processes", std::move(processes)}};
  if (shared) out["shared_env"] = *shared;
  return out;
}

void from_json(const ArgsReader& reader, DescribeResult& out) {
  AppEnvironment::Base shared;
  if (reader.has("shared_env")) {
    shared = std::make_shared<const Environment>(reader.string_map("shared_env"));
  }
  out.processes.clear();
  for (const auto& item : reader.objects("processes")) {
    DescribedProcess process;
    from_json(item, process.info);
    process.spec = app_spec_from_json(item.object("spec"), shared);
    out.processes.push_back(std::move(process));
  }
}

Json to_json(const ReloadedInstance& step) {
  return Json{
      {"name", step.name},         {"instance", step.instance},  {"id", step.id},
      {"old_pid", step.old_pid},   {"new_pid", step.new_pid},    {"ready_ms", step.ready_ms},
      {"drain_ms", step.drain_ms}, {"restarted", step.restarted}};
}

void from_json(const ArgsReader& reader, ReloadedInstance& out) {
  out.name = reader.string("name");
  out.instance = static_cast<int>(reader.integer("instance"));
  out.id = static_cast<int>(reader.integer("id"));
  out.old_pid = static_cast<int>(reader.integer("old_pid"));
  out.new_pid = static_cast<int>(reader.integer("new_pid"));
  out.ready_ms = reader.integer("ready_ms");
  out.drain_ms = reader.optional_integer("drain_ms").value_or(0);
  out.restarted = reader.boolean("restarted");
}

Json to_json(const ReloadResult& result) {
  return Json{{"processes", array_of(result.processes)}, {"reloaded", array_of(result.reloaded)}};
}

void from_json(const ArgsReader& reader, ReloadResult& out) {
  out.processes = read_array<ProcessInfo>(reader, "processes");
  out.reloaded = read_array<ReloadedInstance>(reader, "reloaded");
}

Json to_json(const ReloadFailure& details) {
  return Json{{"reloaded", array_of(details.reloaded)}};
}

void from_json(const ArgsReader& reader, ReloadFailure& out) {
  out.reloaded = read_array<ReloadedInstance>(reader, "reloaded");
}

Json to_json(const KillResult& result) {
  return Json{{"stopped", result.stopped}, {"pid", result.pid}};
}

void from_json(const ArgsReader& reader, KillResult& out) {
  out.stopped = reader.integer("stopped");
  out.pid = static_cast<int>(reader.integer("pid"));
}

Json to_json(const FlushResult& result) {
  return Json{{"files", result.files}};
}

void from_json(const ArgsReader& reader, FlushResult& out) {
  out.files = reader.strings("files");
}

Json to_json(const FlushFailure& details) {
  return Json{{"files", details.files}, {"errors", details.errors}};
}

void from_json(const ArgsReader& reader, FlushFailure& out) {
  out.files = reader.strings("files");
  out.errors = reader.strings("errors");
}

Json to_json(const ReloadLogsResult& result) {
  return Json{{"reopened", result.reopened}};
}

void from_json(const ArgsReader& reader, ReloadLogsResult& out) {
  out.reopened = reader.integer("reopened");
}

Json to_json(const ReopenFailure& details) {
  return Json{{"reopened", details.reopened}, {"errors", details.errors}};
}

void from_json(const ArgsReader& reader, ReopenFailure& out) {
  out.reopened = reader.integer("reopened");
  out.errors = reader.strings("errors");
}

Json to_json(const UnknownAppDetails& details) {
  return Json{{"known", details.known}};
}

void from_json(const ArgsReader& reader, UnknownAppDetails& out) {
  out.known = reader.strings("known");
}

Json to_json(const BusyDetails& details) {
  return Json{{"operation", details.operation},
              {"apps", details.every_app ? Json("all") : Json(details.apps)},
              {"running", details.running},
              {"for_ms", details.for_ms}};
}

void from_json(const ArgsReader& reader, BusyDetails& out) {
  out.operation = reader.string("operation");
  // "all", or the names.
  if (reader.holds_string("apps")) {
    if (reader.string("apps") != "all") {
      throw ArgsError(reader.path_of("apps") + ": expected \"all\" or an array of names");
    }
    out.every_app = true;
  } else {
    out.apps = reader.strings("apps");
  }
  out.running = reader.boolean("running");
  out.for_ms = reader.integer("for_ms");
}

}  // namespace cxpm
