#pragma once
// The events of `logs` (docs/protocol.md, "`logs` events"): first the files' last lines, then,
// when following, lines as the apps write them.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cxpm/protocol/args.hpp"

namespace cxpm {

// The last lines of one file (or part of them: a file's lines may come in several events).
struct TailEvent {
  std::string file;
  std::string stream;  // "out" or "err"
  std::string app;
  std::optional<int> id;        // none when several instances share the file (merge_logs)
  std::optional<int> instance;  // likewise
  bool json = false;            // the lines are `log_type: json` objects
  std::vector<std::string> lines;
  bool operator==(const TailEvent&) const = default;
};

// Lines one instance just wrote.
struct LiveEvent {
  std::string app;
  int id = 0;
  int instance = 0;
  std::string stream;  // "out" or "err"
  std::int64_t time_ms = 0;
  std::vector<std::string> lines;
  bool operator==(const LiveEvent&) const = default;
};

using LogEvent = std::variant<TailEvent, LiveEvent>;

Json to_json(const TailEvent& event);
void from_json(const ArgsReader& reader, TailEvent& out);
Json to_json(const LiveEvent& event);
void from_json(const ArgsReader& reader, LiveEvent& out);
Json to_json(const LogEvent& event);
// By its "kind"; another kind is an ArgsError.
void from_json(const ArgsReader& reader, LogEvent& out);

}  // namespace cxpm
