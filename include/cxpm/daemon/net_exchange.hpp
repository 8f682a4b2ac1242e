#pragma once
// One exchange with a tcp server on the loop, without blocking it: a connect and, given a
// request, the request written and the response's status line and headers read by http-parser
// (the body is not waited for). Timed out, and reports exactly once. Health checks (tcp, http)
// and notification webhooks use it. Owns itself and outlives whoever started it.

#include <uv.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cxpm/config/health_check.hpp"
#include "cxpm/core/clock.hpp"

namespace cxpm {

struct NetAnswer {
  std::optional<std::string> error;  // "connect 127.0.0.1:8080: connection refused"
  int status = 0;                    // the response's, when a request was sent and answered
};

using NetDone = std::function<void(NetAnswer)>;

// `host` an IP literal, or a name looked up on the thread pool. `request` empty: connect only.
// At `timeout` the error is "no answer within <timeout_name> <ms> ms".
void net_exchange(uv_loop_t* loop, const std::string& host, int port, std::string request,
                  Milliseconds timeout, std::string timeout_name, NetDone done);

// An HTTP/1.1 request that closes its connection, with a body when `content_type` or `body` is
// given: "POST /hook HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n...".
std::string http_request_text(std::string_view method, const HttpTarget& target,
                              std::string_view user_agent, std::string_view content_type = {},
                              std::string_view body = {});

}  // namespace cxpm
