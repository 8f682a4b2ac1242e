#pragma once
// pm2's persistence verbs on the wire, and the saved list's file format.
//
//   save       {"force": bool}  -> {"path", "apps", "instances"}
//   resurrect  {}               -> {"processes": [...], "skipped": [names], "failed": [...]}
//   cleardump  {}               -> {"path"}
//
// $CXPM_HOME/dump.json (the daemon writes and reads it; see docs/architecture.md):
//   {"format": "cxpm-dump", "version": 1, "saved_at_ms": ..., "saved_by": "cxpm X.Y",
//    "apps": [<every field of the app's spec, `env` merged>, ...]}

#include <cstdint>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {

namespace method {
inline constexpr const char* kSave = "save";
inline constexpr const char* kResurrect = "resurrect";
inline constexpr const char* kClearDump = "cleardump";
}  // namespace method

struct SaveRequest {
  bool force = false;  // save an empty list too (refused otherwise, as pm2 does)
};
Json to_json(const SaveRequest& request);
SaveRequest save_request_from_json(const Json& args);  // throws ArgsError

struct SaveReply {
  std::string path;
  int apps = 0;
  int instances = 0;
};
Json to_json(const SaveReply& reply);
SaveReply save_reply_from_json(const Json& result);

struct ResurrectFailure {
  std::string name;
  std::string error;
};

// `processes` as `start` answers them (the ids started), beside the rest of the saved list.
struct ResurrectReply {
  Json processes = Json::array();
  std::vector<std::string> skipped;  // saved apps the daemon already has, left as they are
  std::vector<ResurrectFailure> failed;
  bool had_dump = true;  // false: nothing was ever saved (or the list was cleared)
};
Json to_json(const ResurrectReply& reply);
ResurrectReply resurrect_reply_from_json(const Json& result);

struct ClearDumpReply {
  std::string path;
};
Json to_json(const ClearDumpReply& reply);
ClearDumpReply clear_dump_reply_from_json(const Json& result);

// The saved list as the file holds it.
struct Dump {
  std::int64_t saved_at_ms = 0;
  std::string saved_by;
  std::vector<AppSpec> apps;
};
std::string dump_to_text(const Dump& dump);
// Throws ArgsError naming what is wrong (`dump.json: apps[2].instances: ...`).
Dump dump_from_text(const std::string& text);

}  // namespace cxpm
