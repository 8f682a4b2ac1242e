#include "cxpm/daemon/control_server.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

// The peer's uid, from the kernel (SO_PEERCRED); -1 when unknown.
long peer_uid(uv_stream_t* stream) {
  uv_os_fd_t fd = -1;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(stream), &fd) != 0) return -1;
  ucred credentials{};
  socklen_t length = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
  return static_cast<long>(credentials.uid);
}

}  // namespace

void Responder::event(Json data) const {
  if (auto connection = connection_.lock()) connection->send(encode(Event{id_, std::move(data)}));
}

bool Responder::event_if_keeping_up(Json data, std::size_t max_backlog) const {
  auto connection = connection_.lock();
  if (!connection || connection->backlog() > max_backlog) return false;
  connection->send(encode(Event{id_, std::move(data)}));
  return true;
}

void Responder::reply(Json result) const {
  if (auto connection = connection_.lock()) connection->send(encode(Reply{id_, std::move(result)}));
}

void Responder::fail(std::string_view code, std::string message, Json details) const {
  if (auto connection = connection_.lock()) {
    connection->send(encode(make_error(id_, code, std::move(message), std::move(details))));
  }
}

ControlServer::ControlServer(uv_loop_t* loop, RequestHandler handler)
    : loop_(loop), handler_(std::move(handler)) {}

void ControlServer::listen(const std::string& path) {
  uv_pipe_init(loop_, server_.get(), 0);
  server_.mark_initialized();
  server_.get()->data = this;
  ::unlink(path.c_str());  // a stale socket; the pid-file lock proves no daemon owns it
  const mode_t previous = ::umask(0177);
  const int bound = uv_pipe_bind(server_.get(), path.c_str());
  ::umask(previous);
  if (bound != 0) throw SystemError("cannot bind " + path, -bound);
  ::chmod(path.c_str(), 0600);
  const int listening = uv_listen(server_.stream(), 128, [](uv_stream_t* server, int status) {
    if (status == 0) static_cast<ControlServer*>(server->data)->accept();
  });
  if (listening != 0) throw SystemError("cannot listen on " + path, -listening);
}

void ControlServer::close() {
  server_.close();
  auto connections = std::move(connections_);
  for (const auto& connection : connections) connection->close();
}

void ControlServer::accept() {
  auto connection = std::make_shared<Connection>(loop_, *this);
  if (uv_accept(server_.stream(), connection->stream()) != 0) return;
  const long uid = peer_uid(connection->stream());
  if (uid != static_cast<long>(::getuid()) && uid != 0) {
    spdlog::warn("refused a control connection from uid {} (the daemon runs as uid {})", uid,
                 ::getuid());
    connections_.insert(connection);
    connection->send(encode(make_error(0, error_code::kBadRequest,
                                       "permission denied: this daemon belongs to uid " +
                                           std::to_string(::getuid()))));
    connection->close_after_writes();
    return;
  }
  connections_.insert(connection);
  connection->start();
}

void ControlServer::forget(Connection* connection) {
  std::erase_if(connections_, [&](const auto& held) { return held.get() == connection; });
}

Connection::Connection(uv_loop_t* loop, ControlServer& server) : server_(server) {
  uv_pipe_init(loop, pipe_.get(), 0);
  pipe_.mark_initialized();
  pipe_.get()->data = this;
}

Connection::~Connection() = default;

void Connection::start() {
  uv_read_start(
      stream(),
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* self = static_cast<Connection*>(handle->data);
        *buf = uv_buf_init(self->read_buffer_.data(), self->read_buffer_.size());
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

void Connection::on_bytes(std::string_view bytes) {
  auto self = shared_from_this();  // a handler may close us; stay alive until we return
  framer_.feed(bytes);
  while (!closing_) {
    auto line = framer_.next();
    if (!line) break;
    if (line->find_first_not_of(" \t") == std::string::npos) continue;
    auto decoded = decode_request(*line);
    if (auto* reply = std::get_if<Reply>(&decoded)) {
      send(encode(*reply));
      continue;
    }
    const auto& request = std::get<Request>(decoded);
    server_.handler_(request, Responder(weak_from_this(), request.id));
  }
  if (framer_.overflowed() && !closing_) {
    send(encode(make_error(0, error_code::kFrameTooLarge,
                           "a request is larger than " + std::to_string(kMaxFrameBytes) +
                               " bytes; the connection is closed")));
    close_after_writes();
  }
}

std::size_t Connection::backlog() const {
  return pipe_.get() ? uv_stream_get_write_queue_size(pipe_.stream()) : 0;
}

void Connection::send(std::string bytes) {
  if (closing_ || !pipe_.get()) return;
  if (backlog() > kMaxBacklog) {
    spdlog::warn("a control client left {} bytes unread; disconnecting it", backlog());
    close();
    return;
  }
  if (write_owned(stream(), std::move(bytes)) != 0) close();
}

void Connection::close_after_writes() {
  if (closing_) return;
  uv_read_stop(stream());
  // A shutdown request completes after the queued writes; then the handle is closed.
  auto* request = new uv_shutdown_t{};
  request->data = this;
  closing_ = true;
  const int result = uv_shutdown(request, stream(), [](uv_shutdown_t* request, int status) {
    auto* self = static_cast<Connection*>(request->data);
    delete request;
    if (status == UV_ECANCELED) return;  // the handle is already closing; self may be gone
    self->closing_ = false;
    self->close();
  });
  if (result != 0) {
    delete request;
    closing_ = false;
    close();
  }
}

void Connection::close() {
  if (closing_ || !pipe_.get()) return;
  closing_ = true;
  pipe_.close();
  server_.forget(this);  // may destroy this
}

}  // namespace cxpm
