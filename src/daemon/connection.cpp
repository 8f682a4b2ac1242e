// One control client: its frames in, its replies out, and the limits that keep one client
// from costing the daemon more than its share (control_server.hpp).

#include <spdlog/spdlog.h>

#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/memory_release.hpp"

namespace cxpm {
namespace {

// One write hands libuv at most about this much of the outbox; the rest stays discardable.
constexpr std::size_t kWriteBatchBytes = 256 * 1024;

}  // namespace

Connection::Connection(uv_loop_t* loop, ControlServer& server)
    : server_(server), last_request_(std::chrono::steady_clock::now()) {
  uv_pipe_init(loop, pipe_.get(), 0);
  pipe_.mark_initialized();
  pipe_.get()->data = this;
}

Connection::~Connection() {
  server_.request_bytes_ -= request_bytes_counted_;
}

void Connection::count_request_bytes() {
  server_.request_bytes_ += framer_.buffered();
  server_.request_bytes_ -= request_bytes_counted_;
  request_bytes_counted_ = framer_.buffered();
}

void Connection::start() {
  update_reading();
}

void Connection::on_bytes(std::string_view bytes) {
  framer_.feed(bytes);
  count_request_bytes();
  if (server_.request_bytes_ > ControlServer::kMaxRequestBytes &&
      framer_.buffered() > ControlServer::kSmallRequest && !closed_ && !shutting_down_) {
    send(Kind::kNotice, 0,
         encode(make_error(0, error_code::kFrameTooLarge,
                           "the daemon already holds " +
                               std::to_string(ControlServer::kMaxRequestBytes >> 20) +
                               " MiB of unfinished requests from all clients; the connection is "
                               "closed: retry when fewer large requests are in flight")));
    close_after_writes();
    return;
  }
  serve();
}

bool Connection::takes_requests() const {
  return !closed_ && !shutting_down_ && backlog() < kPauseBacklog &&
         in_flight_ < kMaxRequestsInFlight;
}

void Connection::serve() {
  if (closed_) return;
  auto self = shared_from_this();  // a handler may close us; stay alive until we return
  for (int taken = 0; taken < kRequestsPerTurn && takes_requests(); ++taken) {
    auto line = framer_.next();
    if (!line) break;
    last_request_ = std::chrono::steady_clock::now();
    auto decoded = decode_request(*line);
    if (auto* refusal = std::get_if<Reply>(&decoded)) {
      send(Kind::kNotice, refusal->id, encode(*refusal));
      continue;
    }
    const auto& request = std::get<Request>(decoded);
    ++in_flight_;
    server_.handler_(request, Responder(weak_from_this(), request.id));
    note_large_message(line->size());
    note_request_served();
  }
  count_request_bytes();
  if (framer_.overflowed() && !closed_ && !shutting_down_) {
    send(Kind::kNotice, 0,
         encode(make_error(0, error_code::kFrameTooLarge,
                           "a request is larger than " + std::to_string(kMaxFrameBytes) +
                               " bytes; the connection is closed")));
    close_after_writes();
    return;
  }
  update_reading();
}

void Connection::update_reading() {
  if (closed_ || shutting_down_) return;
  // Whole requests already buffered are served first, a few per loop turn; only then is more
  // read, so a client's requests wait in its own socket, not in the daemon.
  const bool buffered = framer_.has_line();
  if (buffered && takes_requests()) server_.schedule(shared_from_this());
  const bool read = !buffered && takes_requests();
  if (read == reading_) return;
  reading_ = read;
  if (!read) {
    uv_read_stop(stream());
    return;
  }
  uv_read_start(
      stream(),
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto& buffer = static_cast<Connection*>(handle->data)->server_.read_buffer_;
        *buf = uv_buf_init(buffer.data(), buffer.size());
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        auto* self = static_cast<Connection*>(stream->data);
        if (nread > 0) {
          self->on_bytes({buf->base, static_cast<std::size_t>(nread)});
        } else if (nread < 0) {
          self->close();
        }
      });
}

std::size_t Connection::backlog() const {
  const std::size_t in_libuv = pipe_.get() ? uv_stream_get_write_queue_size(pipe_.stream()) : 0;
  return outbox_bytes_ + in_libuv;
}

void Connection::send(Kind kind, std::int64_t id, std::string bytes) {
  queue(Message{kind, id, std::move(bytes), nullptr});
}

void Connection::send_event(std::int64_t id, SharedEventData data) {
  EventEnvelope envelope = event_envelope(id);
  const std::size_t split = envelope.head.size();
  queue(
      Message{Kind::kEvent, id, std::move(envelope.head) + envelope.tail, std::move(data), split});
}

void Connection::queue(Message message) {
  if (closed_ || shutting_down_) return;
  const Kind kind = message.kind;
  if (kind == Kind::kReply) {
    if (in_flight_ > 0) --in_flight_;
    note_request_served();  // quiet is counted from the answer: an operation may run for long
  }
  if (backlog() + message.size() > kMaxBacklog) {
    spdlog::warn("a control client left {} bytes unread; disconnecting it", backlog());
    close();
    return;
  }
  outbox_bytes_ += message.size();
  outbox_.push_back(std::move(message));
  write_next();
  if (kind == Kind::kReply) update_reading();  // room for another request
}

std::size_t Connection::discard_unsent_events(std::int64_t id) {
  std::size_t freed = 0;
  std::erase_if(outbox_, [&](const Message& message) {
    const bool drop = message.kind == Kind::kEvent && message.id == id;
    if (drop) freed += message.size();
    return drop;
  });
  outbox_bytes_ -= freed;
  return freed;
}

void Connection::write_next() {
  if (writing_ || outbox_.empty() || closed_) return;
  struct Write {
    uv_write_t request{};
    std::vector<Message> parts;
    std::size_t bytes = 0;
    std::weak_ptr<Connection> connection;
  };
  auto* write = new Write;
  write->request.data = write;
  write->connection = weak_from_this();
  std::size_t taken = 0;
  while (!outbox_.empty() && (write->parts.empty() || taken < kWriteBatchBytes)) {
    taken += outbox_.front().size();
    write->parts.push_back(std::move(outbox_.front()));
    outbox_.pop_front();
  }
  outbox_bytes_ -= taken;
  write->bytes = taken;
  // Built once the parts are in place: a short string's bytes move with it.
  std::vector<uv_buf_t> buffers;
  buffers.reserve(3 * write->parts.size());
  for (auto& part : write->parts) {
    if (!part.shared) {
      buffers.push_back(uv_buf_init(part.bytes.data(), part.bytes.size()));
      continue;
    }
    // libuv only reads the buffers, so the shared data is handed over as it is.
    auto* data = const_cast<char*>(part.shared->data());
    buffers.push_back(uv_buf_init(part.bytes.data(), part.split));
    buffers.push_back(uv_buf_init(data, part.shared->size()));
    buffers.push_back(uv_buf_init(part.bytes.data() + part.split, part.bytes.size() - part.split));
  }
  writing_ = true;
  const int result =
      uv_write(&write->request, stream(), buffers.data(), static_cast<unsigned>(buffers.size()),
               [](uv_write_t* request, int status) {
                 auto* write = static_cast<Write*>(request->data);
                 auto connection = write->connection.lock();
                 note_large_message(write->bytes);
                 delete write;
                 if (!connection || connection->closed_) return;
                 connection->writing_ = false;
                 if (status < 0) return connection->close();
                 connection->on_written();
               });
  if (result != 0) {
    delete write;
    writing_ = false;
    close();
  }
}

void Connection::on_written() {
  auto self = shared_from_this();
  write_next();
  if (shutting_down_) {
    if (!writing_ && outbox_.empty()) shut_down();
    return;
  }
  update_reading();  // a client that caught up is served again
}

void Connection::close_after_writes() {
  if (closed_ || shutting_down_) return;
  shutting_down_ = true;
  closing_since_ = std::chrono::steady_clock::now();
  if (reading_) uv_read_stop(stream());
  reading_ = false;
  if (!writing_ && outbox_.empty()) shut_down();
}

void Connection::shut_down() {
  // A shutdown request completes after libuv's queued writes; then the handle is closed.
  struct Shutdown {
    uv_shutdown_t request{};
    std::weak_ptr<Connection> connection;
  };
  auto* shutdown = new Shutdown;
  shutdown->request.data = shutdown;
  shutdown->connection = weak_from_this();
  const int result = uv_shutdown(&shutdown->request, stream(), [](uv_shutdown_t* request, int) {
    auto* shutdown = static_cast<Shutdown*>(request->data);
    auto connection = shutdown->connection.lock();
    delete shutdown;
    if (connection) connection->close();
  });
  if (result != 0) {
    delete shutdown;
    close();
  }
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  outbox_.clear();
  outbox_bytes_ = 0;
  pipe_.close();
  server_.forget(this);  // may destroy this
}

}  // namespace cxpm
