#pragma once
// Which code runs: the CLI's, the daemon's and the keeper's versions, which differ after a
// package upgrade until `cxpm update` (see docs/architecture.md, "Surviving the daemon").

#include <string>
#include <string_view>

#include "cxpm/protocol/replies.hpp"
#include "cxpm/sys/home.hpp"

namespace cxpm {

// `cxpm --version`: "cxpm 0.1.0", then "(daemon 0.0.9, keeper 0.0.8)" for those that differ.
std::string versions_line(std::string_view cli_version, const PingResult* running);
// `cxpm ping`: "pong: daemon pid 12, version 0.1.0, keeper pid 11", with the versions that
// differ from the CLI's.
std::string ping_line(std::string_view cli_version, const PingResult& running);

// versions_line for the daemon of `home` if one runs (never starting one).
std::string version_text(const Home& home);

}  // namespace cxpm
