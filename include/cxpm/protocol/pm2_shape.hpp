#pragma once
// jlist's objects in pm2's shape as well as cxpm's: beside cxpm's own fields, `pm_id`,
// `monit: {memory, cpu}` and `pm2_env` (status, counters, times in ms since the epoch, paths,
// namespace, the instance's environment), so that scripts and exporters written against
// `pm2 jlist` read cxpm's unchanged. docs/cli.md lists the fields.

#include <cstdint>

#include "cxpm/protocol/process_info.hpp"

namespace cxpm {

// `instances`: how many instances the app has; `now_ms`: the time `uptime_ms` was read at.
Json pm2_process_json(const ProcessInfo& info, const AppSpec& spec, int instances,
                      std::int64_t now_ms);

// A stable UUID-shaped id for an instance (pm2's unique_id), from the app's creation time, its
// name and the instance's id.
std::string instance_unique_id(const ProcessInfo& info);

}  // namespace cxpm
