#include "cxpm/daemon/health_probe.hpp"

#include "cxpm/daemon/helper_run.hpp"
#include "cxpm/daemon/net_exchange.hpp"

namespace cxpm {

void probe_tcp(uv_loop_t* loop, const HostPort& address, Milliseconds timeout, ProbeDone done) {
  net_exchange(loop, address.host, address.port, {}, timeout, "health_timeout",
               [done = std::move(done)](NetAnswer answer) { done(std::move(answer.error)); });
}

void probe_http(uv_loop_t* loop, const HttpTarget& target, StatusRange pass, Milliseconds timeout,
                ProbeDone done) {
  net_exchange(loop, target.host, target.port,
               http_request_text("GET", target, "cxpm-health-check"), timeout, "health_timeout",
               [pass, done = std::move(done)](NetAnswer answer) {
                 if (answer.error) return done(std::move(answer.error));
                 if (pass.contains(answer.status)) return done(std::nullopt);
                 done("status " + std::to_string(answer.status) + " (health_status passes " +
                      std::to_string(pass.low) + "-" + std::to_string(pass.high) + ")");
               });
}

void probe_exec(Supervisor& supervisor, SpawnOptions options, Milliseconds timeout,
                ProbeDone done) {
  run_helper(supervisor, options, timeout,
             [timeout, done = std::move(done)](const HelperExit& exit) {
               if (!exit.spawn_error.empty()) return done("health_exec: " + exit.spawn_error);
               if (exit.timed_out) {
                 return done("health_exec: killed after health_timeout " +
                             std::to_string(timeout.count()) + " ms");
               }
               if (exit.succeeded()) return done(std::nullopt);
               done("health_exec: " + describe_helper_status(exit.wait_status));
             });
}

}  // namespace cxpm
