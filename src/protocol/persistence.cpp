#include "cxpm/protocol/persistence.hpp"

#include "cxpm/protocol/app_spec_json.hpp"
#include "cxpm/protocol/args.hpp"

namespace cxpm {
namespace {

constexpr const char* kDumpFormat = "cxpm-dump";
constexpr int kDumpVersion = 1;

}  // namespace

Json to_json(const SaveRequest& request) {
  return Json{{"force", request.force}};
}

SaveRequest save_request_from_json(const Json& args) {
  const ArgsReader reader(args, "args");
  return SaveRequest{reader.boolean("force")};
}

Json to_json(const SaveReply& reply) {
  return Json{{"path", reply.path}, {"apps", reply.apps}, {"instances", reply.instances}};
}

SaveReply save_reply_from_json(const Json& result) {
  return SaveReply{result.value("path", std::string()), result.value("apps", 0),
                   result.value("instances", 0)};
}

Json to_json(const ResurrectReply& reply) {
  Json failed = Json::array();
  for (const auto& failure : reply.failed) {
    failed.push_back({{"name", failure.name}, {"error", failure.error}});
  }
  return Json{{"processes", reply.processes},
              {"skipped", reply.skipped},
              {"failed", std::move(failed)},
              {"had_dump", reply.had_dump}};
}

ResurrectReply resurrect_reply_from_json(const Json& result) {
  ResurrectReply reply;
  reply.processes = result.value("processes", Json::array());
  reply.skipped = result.value("skipped", std::vector<std::string>{});
  for (const auto& failure : result.value("failed", Json::array())) {
    reply.failed.push_back(
        {failure.value("name", std::string()), failure.value("error", std::string())});
  }
  reply.had_dump = result.value("had_dump", true);
  return reply;
}

Json to_json(const ClearDumpReply& reply) {
  return Json{{"path", reply.path}};
}

ClearDumpReply clear_dump_reply_from_json(const Json& result) {
  return ClearDumpReply{result.value("path", std::string())};
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
