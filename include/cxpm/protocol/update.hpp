#pragma once
// `cxpm update` on the wire: the daemon hands its apps, sockets and pipes over to another
// binary through the keeper (see docs/architecture.md, "Surviving the daemon").
//
//   update  {"binary": "/abs/path"}  -> {"pid": <this daemon's pid>, "binary": "/abs/path"}
//
// The answer comes before the daemon exits; the CLI then waits for that pid to be gone and
// asks the next daemon (`ping`): its pid and version, or why the update was rolled back.

#include <string>

#include "cxpm/protocol/message.hpp"
#include "cxpm/protocol/requests.hpp"

namespace cxpm {

struct UpdateArgs : QueueWait {
  std::string binary;  // absolute
  bool operator==(const UpdateArgs&) const = default;
};

struct UpdateResult {
  int pid = 0;
  std::string binary;
  bool operator==(const UpdateResult&) const = default;
};

Json to_json(const UpdateArgs& args);
void from_json(const ArgsReader& reader, UpdateArgs& out);
Json to_json(const UpdateResult& result);
void from_json(const ArgsReader& reader, UpdateResult& out);

}  // namespace cxpm
