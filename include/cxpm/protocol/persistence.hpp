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
#include "cxpm/protocol/replies.hpp"
#include "cxpm/protocol/requests.hpp"

namespace cxpm {

// `save`: refused for an empty list unless forced (as pm2: it would bring nothing back).
struct SaveArgs : QueueWait {
  bool force = false;
  bool operator==(const SaveArgs&) const = default;
};
// `resurrect` and `cleardump` act on the whole list: nothing but their wait in the queue.
struct WholeListArgs : QueueWait {
  bool operator==(const WholeListArgs&) const = default;
};

struct SaveResult {
  std::string path;
  std::int64_t apps = 0;
  std::int64_t instances = 0;
};

struct ResurrectFailure {
  std::string name;
  std::string error;
};

// `processes` as `start` answers them (the ids started), beside the rest of the saved list.
struct ResurrectResult {
  ProcessesResult started;
  std::vector<std::string> skipped;  // saved apps the daemon already has, left as they are
  std::vector<ResurrectFailure> failed;
  bool had_dump = true;  // false: nothing was ever saved (or the list was cleared)
};

struct ClearDumpResult {
  std::string path;
};

Json to_json(const SaveArgs& args);
void from_json(const ArgsReader& reader, SaveArgs& out);
Json to_json(const WholeListArgs& args);
void from_json(const ArgsReader& reader, WholeListArgs& out);
Json to_json(const SaveResult& result);
void from_json(const ArgsReader& reader, SaveResult& out);
Json to_json(const ResurrectResult& result);
void from_json(const ArgsReader& reader, ResurrectResult& out);
Json to_json(const ClearDumpResult& result);
void from_json(const ArgsReader& reader, ClearDumpResult& out);

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
