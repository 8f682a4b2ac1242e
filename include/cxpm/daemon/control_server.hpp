#pragma once
// The control socket: accepts local clients of the same user (or root), cuts their bytes
// into frames, and hands each request to one handler. A misbehaving client is answered with
// an error and, at worst, disconnected; every other client is served as before.

#include <uv.h>

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/protocol/framing.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {

class Connection;

// Answers one request. Safe to keep after the client has gone: it then does nothing.
class Responder {
 public:
  Responder(std::weak_ptr<Connection> connection, std::int64_t id)
      : connection_(std::move(connection)), id_(id) {}

  void event(Json data) const;
  // Sends the event unless the client already has more than `max_backlog` bytes unread; then
  // sends nothing and returns false, so a stream can stop instead of queueing without bound.
  bool event_if_keeping_up(Json data, std::size_t max_backlog) const;
  void reply(Json result) const;
  void fail(std::string_view code, std::string message, Json details = nullptr) const;
  bool connected() const { return !connection_.expired(); }

 private:
  std::weak_ptr<Connection> connection_;
  std::int64_t id_;
};

using RequestHandler = std::function<void(const Request&, const Responder&)>;

class ControlServer {
 public:
  ControlServer(uv_loop_t* loop, RequestHandler handler);

  // Binds the socket (mode 0600); throws SystemError.
  void listen(const std::string& path);
  void close();

 private:
  friend class Connection;
  void accept();
  void forget(Connection* connection);

  uv_loop_t* loop_;
  RequestHandler handler_;
  UvHandle<uv_pipe_t> server_;
  std::set<std::shared_ptr<Connection>> connections_;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(uv_loop_t* loop, ControlServer& server);
  ~Connection();

  // A client that leaves more than this unread is disconnected rather than buffered for.
  static constexpr std::size_t kMaxBacklog = 16 * 1024 * 1024;

  uv_stream_t* stream() { return pipe_.stream(); }
  // Bytes queued for the client that the kernel has not taken yet.
  std::size_t backlog() const;
  void start();
  void send(std::string bytes);
  // Closes once everything queued has been written.
  void close_after_writes();
  void close();

 private:
  void on_bytes(std::string_view bytes);

  ControlServer& server_;
  UvHandle<uv_pipe_t> pipe_;
  LineFramer framer_;
  bool closing_ = false;
  std::array<char, 65536> read_buffer_{};
};

}  // namespace cxpm
