#pragma once
// How the web server's thread (web_server.hpp) reaches the supervisor's loop without touching
// its state: it posts a job (a protocol request, or "the metrics, please") to the bridge's
// mailbox and wakes the supervisor's loop with uv_async; there the job runs like any client's
// request (Commands through a Responder whose sink is a WebOutbox), and what it answers goes
// back to the web loop's mailbox, which wakes that loop in turn. Nothing is shared but the
// two mailboxes, each behind its mutex.

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

// What the supervisor's side answers one web request: events (JSON text), then one reply.
struct WebOutput {
  std::uint64_t request = 0;
  bool final = false;
  std::string event;  // !final: one event's data
  Reply reply;        // final: the reply (or metrics text as a string result)
};

// The web loop's mailbox: filled from the supervisor's thread, emptied on the web loop.
class WebOutbox {
 public:
  // `wake` is the web loop's uv_async; the outbox sends it after each push while open.
  explicit WebOutbox(uv_async_t* wake) : wake_(wake) {}
  void push(WebOutput output);
  std::deque<WebOutput> take();
  // The web loop is ending: later pushes are dropped.
  void close();
  bool open() const;

 private:
  mutable std::mutex mutex_;
  uv_async_t* wake_;
  std::deque<WebOutput> outputs_;
};

// One web request, from the web loop to the supervisor's.
struct WebJob {
  enum class Kind { kRequest, kMetrics, kCancel };
  Kind kind = Kind::kRequest;
  std::uint64_t request = 0;
  Request call;  // kRequest
  std::shared_ptr<WebOutbox> outbox;
  // Bytes answered to this request the web side has not written yet (its socket's backlog
  // included): what a log or event follower is judged by.
  std::shared_ptr<std::atomic<std::size_t>> unsent;
};

class WebBridge {
 public:
  // `handle` answers a request (Commands::handle); `metrics` writes the metrics text. Both
  // run on `loop`, the supervisor's.
  WebBridge(uv_loop_t* loop, RequestHandler handle, std::function<std::string()> metrics);
  ~WebBridge();
  WebBridge(const WebBridge&) = delete;
  WebBridge& operator=(const WebBridge&) = delete;

  // From the web thread.
  void post(WebJob job);
  // On the supervisor's loop: forget every request in progress (the server stopped), which
  // ends their follows.
  void cancel_all() { sinks_.clear(); }

 private:
  class Sink;
  void run_jobs();

  RequestHandler handle_;
  std::function<std::string()> metrics_;
  UvHandle<uv_async_t> wake_;
  std::mutex mutex_;
  std::deque<WebJob> jobs_;
  std::map<std::uint64_t, std::shared_ptr<Sink>> sinks_;  // requests being answered
};

}  // namespace cxpm
