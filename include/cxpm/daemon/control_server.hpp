#pragma once
// The control socket: accepts local clients of the same user (or root), cuts their bytes
// into frames, and hands each request to one handler. A misbehaving client is answered with
// an error and, at worst, disconnected; every other client is served as before.
//
// Every client costs bounded memory and bounded turns of the loop (docs/protocol.md,
// "Limits"): at most kMaxConnections at once; a connection that sends no whole request for
// the idle timeout is closed; a client is served at most kRequestsPerTurn requests before
// the others get theirs; one that does not read its replies is not served more until it does.

#include <uv.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/protocol/framing.hpp"
#include "cxpm/protocol/message.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class Connection;
class ControlServer;

// An event's data encoded once (encode_event_data) and shared by every request it is sent
// to: 250 log followers hold one copy of a line, not 250.
using SharedEventData = std::shared_ptr<const std::string>;

// Where a request's answer goes when no Connection asked (the web server's requests,
// daemon/web_bridge.hpp): the same events and reply, on the loop's thread.
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  virtual void event(std::string data) = 0;  // one event's data, as JSON text
  virtual void reply(Reply reply) = 0;
  virtual std::size_t backlog() const = 0;
};

// Answers one request. Safe to keep after the client has gone: it then does nothing.
class Responder {
 public:
  Responder(std::weak_ptr<Connection> connection, std::int64_t id)
      : connection_(std::move(connection)), id_(id) {}
  explicit Responder(std::weak_ptr<ReplySink> sink) : sink_(std::move(sink)) {}

  void event(Json data) const;
  void event(const EncodedEventData& data) const;
  void event(const SharedEventData& data) const;
  void reply(Json result) const;
  void fail(std::string_view code, std::string message, Json details = nullptr) const;
  bool connected() const { return !connection_.expired() || !sink_.expired(); }
  bool same_request(const Responder& other) const {
    return id_ == other.id_ && !connection_.owner_before(other.connection_) &&
           !other.connection_.owner_before(connection_) && !sink_.owner_before(other.sink_) &&
           !other.sink_.owner_before(sink_);
  }

  // Bytes queued for this client that the kernel has not taken yet; 0 once it has gone.
  std::size_t backlog() const;
  // Forgets this request's events not yet handed to the kernel (a reader being cut off), so
  // their memory is freed now rather than when the client reads. Returns the bytes freed.
  std::size_t discard_unsent_events() const;

 private:
  std::weak_ptr<Connection> connection_;
  std::int64_t id_ = 0;
  std::weak_ptr<ReplySink> sink_;  // instead of a connection
};

using RequestHandler = std::function<void(const Request&, const Responder&)>;

class ControlServer {
 public:
  // At most this many clients at once (fewer when the descriptor limit is low: see
  // connection_limit()); one more is told too_many_connections and closed.
  static constexpr std::size_t kMaxConnections = 1024;
  // A connection that sends no whole request for this long, with none in progress, is
  // closed. CXPM_IDLE_TIMEOUT_MS, read when the daemon starts, changes it (tests).
  static constexpr std::chrono::milliseconds kIdleTimeout{30000};
  // Clients with requests waiting are served in turn until this much time went in one loop
  // turn; the rest go first next turn, after the loop has read and accepted what came.
  static constexpr std::chrono::milliseconds kTurnBudget{5};
  // Unfinished requests of all clients together: a frame may be 64 MiB (a whole ecosystem
  // file), but a thousand clients each sending most of one must not cost 64 GiB. Past this, a
  // client holding more than kSmallRequest of an unfinished frame is refused and closed.
  static constexpr std::size_t kMaxRequestBytes = 128 * 1024 * 1024;
  static constexpr std::size_t kSmallRequest = 1024 * 1024;

  ControlServer(uv_loop_t* loop, RequestHandler handler);

  // Binds the socket (mode 0600), or listens on `inherited` (the socket an earlier daemon
  // bound, kept by the keeper: connections queued meanwhile are answered now); throws
  // SystemError. Returns the listening descriptor.
  int listen(const std::string& path, UniqueFd inherited = UniqueFd());
  // Accepts no more connections (the next daemon will, from the kept socket); those open
  // are still served.
  void stop_accepting() { server_.close(); }
  void close();

 private:
  friend class Connection;
  void accept();
  void refuse(const std::shared_ptr<Connection>& connection, std::string_view code,
              std::string message);
  void forget(Connection* connection);
  // Serves `connection` again on the loop's next turn (it has requests waiting).
  void schedule(const std::shared_ptr<Connection>& connection);
  void run_turn();
  void close_idle_connections();

  uv_loop_t* loop_;
  RequestHandler handler_;
  std::size_t connection_limit_;
  std::chrono::milliseconds idle_timeout_;
  UvHandle<uv_pipe_t> server_;
  UvHandle<uv_idle_t> turn_;  // active while some client has requests waiting
  UvHandle<uv_timer_t> idle_sweep_;
  std::size_t request_bytes_ = 0;  // held by every connection's framer; before connections_
  std::set<std::shared_ptr<Connection>> connections_;
  std::vector<std::weak_ptr<Connection>> waiting_;
  // Every connection reads into this one buffer: a read is consumed before the next begins.
  std::array<char, 65536> read_buffer_{};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(uv_loop_t* loop, ControlServer& server);
  ~Connection();

  // A client that leaves more than this unread is disconnected rather than buffered for.
  static constexpr std::size_t kMaxBacklog = 16 * 1024 * 1024;
  // With more than this unread, the client's further requests wait until it reads.
  static constexpr std::size_t kPauseBacklog = 256 * 1024;
  // With this many requests unanswered (logs followers never answer), further ones wait.
  static constexpr std::size_t kMaxRequestsInFlight = 256;
  // Requests taken from one client before every other client has had its turn.
  static constexpr int kRequestsPerTurn = 2;

  enum class Kind { kEvent, kReply, kNotice };  // notice: an error not to a handled request

  uv_stream_t* stream() { return pipe_.stream(); }
  // Bytes queued for the client that the kernel has not taken yet.
  std::size_t backlog() const;
  void start();
  void send(Kind kind, std::int64_t id, std::string bytes);
  void send_event(std::int64_t id, SharedEventData data);
  std::size_t discard_unsent_events(std::int64_t id);
  // Closes once everything queued has been written.
  void close_after_writes();
  void close();

 private:
  friend class ControlServer;
  struct Message {
    Kind kind;
    std::int64_t id;
    std::string bytes;       // the whole line, or the envelope around `shared`
    SharedEventData shared;  // an event's data, when it is shared
    std::size_t split = 0;   // where `shared` goes in `bytes`

    // What the client is sent.
    std::size_t size() const { return bytes.size() + (shared ? shared->size() : 0); }
  };
  void queue(Message message);

  void on_bytes(std::string_view bytes);
  // Takes up to kRequestsPerTurn whole requests, then decides whether to read more.
  void serve();
  bool takes_requests() const;
  void update_reading();
  void write_next();
  void on_written();
  void shut_down();
  // Brings server_.request_bytes_ up to date with what the framer holds now.
  void count_request_bytes();

  ControlServer& server_;
  UvHandle<uv_pipe_t> pipe_;
  LineFramer framer_;
  std::deque<Message> outbox_;  // not yet handed to libuv
  std::size_t outbox_bytes_ = 0;
  std::size_t request_bytes_counted_ = 0;  // this framer's share of server_.request_bytes_
  bool writing_ = false;                   // one write at a time, carrying what the outbox had
  std::size_t in_flight_ = 0;
  bool reading_ = false;
  bool waiting_for_turn_ = false;
  bool shutting_down_ = false;  // closing once the outbox is written
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_request_;
  std::chrono::steady_clock::time_point closing_since_{};
};

}  // namespace cxpm
