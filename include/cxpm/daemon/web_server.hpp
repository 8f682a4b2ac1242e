#pragma once
// The daemon's HTTP server (docs/web.md): its own thread and libuv loop, so no client, slow
// or hostile, ever holds up supervision. Requests are read with http-parser; what they need
// from the supervisor goes through the WebBridge (web_bridge.hpp) and comes back by uv_async.
// While nobody is connected the thread sleeps in epoll: no timer runs, nothing is sampled.
//
// Bounds: kMaxConnections at once (one more is answered 503); a request's head and body
// together at most kMaxRequestBytes (413); a whole request within kRequestTimeout (408); an
// answer within kAnswerTimeout (504). One request per connection (Connection: close). A
// stream (server-sent events) lives until its client goes or falls too far behind (the
// daemon's followers' rules: event_log.hpp, log_hub.hpp).

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/daemon/web_bridge.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class WebConnection;

struct WebServerSettings {
  UniqueFd listener;  // a TCP socket bound and listening already (so its errors are the caller's)
  std::string token;  // what Authorization: Bearer must carry
  bool public_access = false;  // beyond loopback: every request needs the token
};

class WebServer {
 public:
  static constexpr std::size_t kMaxConnections = 64;
  static constexpr std::size_t kMaxRequestBytes = 16 * 1024;
  static constexpr std::chrono::milliseconds kRequestTimeout{10000};
  static constexpr std::chrono::milliseconds kAnswerTimeout{60000};
  // A stream's comment line while nothing happens, so a client that vanished is noticed.
  static constexpr std::chrono::milliseconds kStreamKeepAlive{15000};

  // Starts the thread, serving on settings.listener.
  WebServer(WebBridge& bridge, WebServerSettings settings);
  // Closes every connection, ends the thread and waits for it.
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

 private:
  friend class WebConnection;
  void accept();
  void deliver();  // the outbox's outputs to their connections
  void shut_down();
  void forget(WebConnection* connection);
  // Sends `job` to the supervisor's side, answered to `connection` under a new request id.
  std::uint64_t ask(WebConnection* connection, WebJob job);
  void cancel(std::uint64_t request);

  WebBridge& bridge_;
  std::string token_;
  bool public_access_;
  uv_loop_t loop_{};
  UvHandle<uv_tcp_t> listener_;
  UvHandle<uv_async_t> wake_;  // the outbox has outputs
  UvHandle<uv_async_t> stop_;
  std::shared_ptr<WebOutbox> outbox_;
  std::map<WebConnection*, std::shared_ptr<WebConnection>> connections_;
  std::map<std::uint64_t, std::weak_ptr<WebConnection>> asked_;  // requests being answered
  std::thread thread_;
};

}  // namespace cxpm
