#include "cxpm/daemon/control_server.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "cxpm/daemon/memory_release.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

// Refused clients are told why, which takes a moment; beyond this many at once, more are
// closed without a word so a flood of connections cannot hold memory that way either.
constexpr std::size_t kMaxBeingRefused = 64;

// The peer's uid, from the kernel (SO_PEERCRED); -1 when unknown.
long peer_uid(uv_stream_t* stream) {
  uv_os_fd_t fd = -1;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(stream), &fd) != 0) return -1;
  ucred credentials{};
  socklen_t length = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
  return static_cast<long>(credentials.uid);
}

// Half the descriptors the daemon may open stay for apps' pipes, log files and sockets.
std::size_t connection_limit_for_descriptors() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return ControlServer::kMaxConnections;
  }
  return std::clamp<std::size_t>(limit.rlim_cur / 2, 16, ControlServer::kMaxConnections);
}

std::chrono::milliseconds idle_timeout_from_environment() {
  const char* text = std::getenv("CXPM_IDLE_TIMEOUT_MS");
  if (!text || !*text) return ControlServer::kIdleTimeout;
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (*end != '\0' || value < 10) {
    spdlog::warn("CXPM_IDLE_TIMEOUT_MS={} is not a number of milliseconds (10 or more); using {}",
                 text, ControlServer::kIdleTimeout.count());
    return ControlServer::kIdleTimeout;
  }
  return std::chrono::milliseconds(value);
}

}  // namespace

void Responder::event(Json data) const {
  if (auto sink = sink_.lock()) return sink->event(data.dump());
  if (auto connection = connection_.lock()) {
    connection->send(Connection::Kind::kEvent, id_, encode(Event{id_, std::move(data)}));
  }
}

void Responder::event(const EncodedEventData& data) const {
  if (auto sink = sink_.lock()) return sink->event(data.json);
  if (auto connection = connection_.lock()) {
    connection->send(Connection::Kind::kEvent, id_, encode_event(id_, data));
  }
}

void Responder::event(const SharedEventData& data) const {
  if (auto sink = sink_.lock()) return sink->event(*data);
  if (auto connection = connection_.lock()) connection->send_event(id_, data);
}

void Responder::reply(Json result) const {
  if (auto sink = sink_.lock()) return sink->reply(Reply{id_, std::move(result)});
  if (auto connection = connection_.lock()) {
    connection->send(Connection::Kind::kReply, id_, encode(Reply{id_, std::move(result)}));
  }
}

void Responder::fail(std::string_view code, std::string message, Json details) const {
  if (auto sink = sink_.lock()) {
    return sink->reply(Reply{id_, ErrorBody{std::string(code), std::move(message), details}});
  }
  if (auto connection = connection_.lock()) {
    connection->send(Connection::Kind::kReply, id_,
                     encode(make_error(id_, code, std::move(message), std::move(details))));
  }
}

std::size_t Responder::backlog() const {
  if (auto sink = sink_.lock()) return sink->backlog();
  auto connection = connection_.lock();
  return connection ? connection->backlog() : 0;
}

// What a sink was handed is on another thread already: nothing here to take back.
std::size_t Responder::discard_unsent_events() const {
  auto connection = connection_.lock();
  return connection ? connection->discard_unsent_events(id_) : 0;
}

ControlServer::ControlServer(uv_loop_t* loop, RequestHandler handler)
    : loop_(loop),
      handler_(std::move(handler)),
      connection_limit_(connection_limit_for_descriptors()),
      idle_timeout_(idle_timeout_from_environment()) {}

int ControlServer::listen(const std::string& path, UniqueFd inherited) {
  uv_pipe_init(loop_, server_.get(), 0);
  server_.mark_initialized();
  server_.get()->data = this;
  if (inherited) {
    const int opened = uv_pipe_open(server_.get(), inherited.get());
    if (opened != 0) throw SystemError("cannot listen on the kept " + path, -opened);
    inherited.release();
  } else {
    ::unlink(path.c_str());  // a stale socket; the pid-file lock proves no daemon owns it
    const mode_t previous = ::umask(0177);
    const int bound = uv_pipe_bind(server_.get(), path.c_str());
    ::umask(previous);
    if (bound != 0) throw SystemError("cannot bind " + path, -bound);
    ::chmod(path.c_str(), 0600);
  }
  const int listening = uv_listen(server_.stream(), 128, [](uv_stream_t* server, int status) {
    if (status == 0) static_cast<ControlServer*>(server->data)->accept();
  });
  if (listening != 0) throw SystemError("cannot listen on " + path, -listening);

  uv_idle_init(loop_, turn_.get());
  turn_.mark_initialized();
  turn_.get()->data = this;
  uv_timer_init(loop_, idle_sweep_.get());
  idle_sweep_.mark_initialized();
  idle_sweep_.get()->data = this;
  // Idle connections are noticed within a quarter of the timeout, checked at most every second.
  const auto period =
      std::clamp<std::chrono::milliseconds::rep>(idle_timeout_.count() / 4, 5, 1000);
  uv_timer_start(
      idle_sweep_.get(),
      [](uv_timer_t* timer) { static_cast<ControlServer*>(timer->data)->close_idle_connections(); },
      static_cast<std::uint64_t>(period), static_cast<std::uint64_t>(period));
  uv_unref(idle_sweep_.base());  // clients alone do not keep the daemon running
  uv_os_fd_t fd = -1;
  uv_fileno(server_.base(), &fd);
  return fd;
}

void ControlServer::close() {
  server_.close();
  turn_.close();
  idle_sweep_.close();
  waiting_.clear();
  auto connections = std::move(connections_);
  for (const auto& connection : connections) connection->close();
}

void ControlServer::accept() {
  auto connection = std::make_shared<Connection>(loop_, *this);
  if (uv_accept(server_.stream(), connection->stream()) != 0) return;
  if (connections_.size() >= connection_limit_ + kMaxBeingRefused) return;  // closed unheard
  const long uid = peer_uid(connection->stream());
  if (uid != static_cast<long>(::getuid()) && uid != 0) {
    spdlog::warn("refused a control connection from uid {} (the daemon runs as uid {})", uid,
                 ::getuid());
    return refuse(connection, error_code::kBadRequest,
                  "permission denied: this daemon belongs to uid " + std::to_string(::getuid()));
  }
  if (connections_.size() >= connection_limit_) {
    return refuse(connection, error_code::kTooManyConnections,
                  "too many connections: the daemon serves at most " +
                      std::to_string(connection_limit_) + " clients at once; close some and retry");
  }
  connections_.insert(connection);
  connection->start();
}

void ControlServer::refuse(const std::shared_ptr<Connection>& connection, std::string_view code,
                           std::string message) {
  connections_.insert(connection);
  connection->send(Connection::Kind::kNotice, 0, encode(make_error(0, code, std::move(message))));
  connection->close_after_writes();
}

void ControlServer::forget(Connection* connection) {
  std::erase_if(connections_, [&](const auto& held) { return held.get() == connection; });
}

void ControlServer::schedule(const std::shared_ptr<Connection>& connection) {
  if (connection->waiting_for_turn_ || !turn_.get()) return;
  connection->waiting_for_turn_ = true;
  waiting_.push_back(connection);
  uv_idle_start(turn_.get(),
                [](uv_idle_t* idle) { static_cast<ControlServer*>(idle->data)->run_turn(); });
}

void ControlServer::run_turn() {
  // Each waiting client gets one turn; those with more requests wait for the next loop turn,
  // after the loop has read what other clients sent in the meantime.
  const auto start = std::chrono::steady_clock::now();
  auto waiting = std::move(waiting_);
  waiting_.clear();
  std::size_t served = 0;
  while (served < waiting.size() && std::chrono::steady_clock::now() - start < kTurnBudget) {
    if (auto connection = waiting[served].lock()) {
      connection->waiting_for_turn_ = false;
      connection->serve();
    }
    ++served;
  }
  // Those not reached keep their place, ahead of those served again.
  waiting_.insert(waiting_.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(served),
                  waiting.end());
  if (waiting_.empty() && turn_.get()) uv_idle_stop(turn_.get());
}

void ControlServer::close_idle_connections() {
  release_freed_memory();  // after large requests and replies, this timer's other errand
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<Connection>> idle;
  for (const auto& connection : connections_) {
    const bool expired =
        connection->shutting_down_
            ? now - connection->closing_since_ > idle_timeout_
            : connection->in_flight_ == 0 && now - connection->last_request_ > idle_timeout_;
    if (expired) idle.push_back(connection);
  }
  for (const auto& connection : idle) {
    if (connection->shutting_down_ || connection->backlog() > 0) {
      connection->close();  // it reads nothing: there is no one to tell
      continue;
    }
    connection->send(
        Connection::Kind::kNotice, 0,
        encode(make_error(0, error_code::kIdleTimeout,
                          "no request came for " + std::to_string(idle_timeout_.count()) +
                              " ms; the connection is closed")));
    connection->close_after_writes();
  }
}

}  // namespace cxpm
