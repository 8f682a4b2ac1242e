#include "cxpm/protocol/persistence.hpp"

#include "cxpm/protocol/app_spec_json.hpp"
#include "cxpm/protocol/args.hpp"

namespace cxpm {
namespace {

constexpr const char* kDumpFormat = "cxpm-dump";
constexpr int kDumpVersion = 1;

}  // namespace

Json to_json(const SaveArgs& args) {
  Json out{{"force", args.force}};
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, SaveArgs& out) {
  read_queue_wait(reader, out);
  out.force = reader.boolean("force");
}

Json to_json(const WholeListArgs& args) {
  Json out = Json::object();
  put_queue_wait(out, args);
  return out;
}

void from_json(const ArgsReader& reader, WholeListArgs& out) {
  read_queue_wait(reader, out);
}

Json to_json(const SaveResult& result) {
  return Json{{"path", result.path}, {"apps", result.apps}, {"instances", result.instances}};
}

void from_json(const ArgsReader& reader, SaveResult& out) {
  out.path = reader.string("path");
  out.apps = reader.integer("apps");
  out.instances = reader.integer("instances");
}

Json to_json(const ResurrectResult& result) {
  Json out = to_json(result.started);
  Json failed = Json::array();
  for (const auto& failure : result.failed) {
    failed.push_back({{"name", failure.name}, {"error", failure.error}});
  }
  out["skipped"] = result.skipped;
  out["failed"] = std::move(failed);
  out["had_dump"] = result.had_dump;
  return out;
}

void from_json(const ArgsReader& reader, ResurrectResult& out) {
  from_json(reader, out.started);
  out.skipped = reader.strings("skipped");
  for (const auto& failure : reader.objects("failed")) {
    out.failed.push_back({failure.string("name"), failure.string("error")});
  }
  out.had_dump = reader.boolean("had_dump", true);
}

Json to_json(const ClearDumpResult& result) {
  return Json{{"path", result.path}};
}

void from_json(const ArgsReader& reader, ClearDumpResult& out) {
  out.path = reader.string("path");
}

std::string dump_to_text(const Dump& dump) {
  Json apps = Json::array();
  for (const auto& spec : dump.apps) apps.push_back(to_json(spec));
  const Json document{{"format", kDumpFormat},
                      {"version", kDumpVersion},
                      {"saved_at_ms", dump.saved_at_ms},
                      {"saved_by", dump.saved_by},
                      {"apps", std::move(apps)}};
  // Indented: a person reads it to see what comes back at boot. Bytes that are not UTF-8 (an
  // environment may hold any) are kept as \ufffd rather than failing the whole save.
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Dump dump_from_text(const std::string& text) {
  const Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw ArgsError("dump.json: not valid JSON");
  const ArgsReader reader(document, "dump.json");
  if (reader.string("format") != kDumpFormat) {
    throw ArgsError("dump.json: not a cxpm dump (format is not \"cxpm-dump\")");
  }
  if (const auto version = reader.integer("version"); version != kDumpVersion) {
    throw ArgsError("dump.json: version " + std::to_string(version) +
                    " is not one this cxpm reads (" + std::to_string(kDumpVersion) + ")");
  }
  Dump dump;
  dump.saved_at_ms = reader.integer("saved_at_ms");
  dump.saved_by = reader.string("saved_by");
  for (const auto& app : reader.objects("apps")) dump.apps.push_back(app_spec_from_json(app));
  return dump;
}

}  // namespace cxpm
