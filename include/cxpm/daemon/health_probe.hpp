#pragma once
// One health probe, run on the loop without blocking it: an http GET (libuv tcp, the response
// read by http-parser), a tcp connect, or a command (forked like an app, its exit reaped by the
// supervisor). Each is timed out — a command is killed with its process group — and reports
// exactly once: nullopt when healthy, else why not ("connect 127.0.0.1:8080: connection
// refused", "status 503", "exited with code 1"). A probe owns itself and outlives whoever
// started it; a caller that went away ignores the report.

#include <uv.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/config/health_check.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/sys/spawn.hpp"

namespace cxpm {

class Supervisor;

using ProbeDone = std::function<void(std::optional<std::string> error)>;

void probe_tcp(uv_loop_t* loop, const HostPort& address, Milliseconds timeout, ProbeDone done);

void probe_http(uv_loop_t* loop, const HttpTarget& target, StatusRange pass, Milliseconds timeout,
                ProbeDone done);

// `options` as for an app (argv, env, cwd, user); stdio goes to /dev/null.
void probe_exec(Supervisor& supervisor, SpawnOptions options, Milliseconds timeout, ProbeDone done);

}  // namespace cxpm
