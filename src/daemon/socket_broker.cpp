#include "cxpm/daemon/socket_broker.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <sstream>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unix_socket.hpp"

namespace cxpm {

SocketBroker::SocketBroker(uv_loop_t* loop, Resolve resolve) : resolve_(std::move(resolve)) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    throw_system_error("socketpair for the socket broker");
  }
  worker_end_.reset(pair[1]);
  watch(loop, UniqueFd(pair[0]));
}

SocketBroker::SocketBroker(uv_loop_t* loop, Resolve resolve, UniqueFd daemon_end)
    : resolve_(std::move(resolve)) {
  watch(loop, std::move(daemon_end));
}

void SocketBroker::watch(uv_loop_t* loop, UniqueFd daemon_end) {
  daemon_end_ = std::move(daemon_end);
  // Only our end: the worker's end stays blocking, so the preload library simply waits.
  ::fcntl(daemon_end_.get(), F_SETFL, ::fcntl(daemon_end_.get(), F_GETFL) | O_NONBLOCK);
  uv_poll_init(loop, poll_.get(), daemon_end_.get());
  poll_.mark_initialized();
  poll_.get()->data = this;
  uv_poll_start(poll_.get(), UV_READABLE, [](uv_poll_t* poll, int status, int) {
    auto* self = static_cast<SocketBroker*>(poll->data);
    if (status < 0) {
      uv_poll_stop(poll);
      return;
    }
    self->answer();
  });
}

void SocketBroker::answer() {
  char buffer[512];
  const ssize_t got = ::recv(daemon_end_.get(), buffer, sizeof buffer - 1, 0);
  if (got <= 0) {
    // 0: every process holding the worker's end is gone; stop watching a dead channel.
    if (got == 0 || (errno != EAGAIN && errno != EINTR)) uv_poll_stop(poll_.get());
    return;
  }
  std::istringstream request(std::string(buffer, static_cast<std::size_t>(got)));
  std::string verb, host;
  int port = 0;
  request >> verb >> host >> port;
  std::string reply;
  int fd = -1;
  std::string problem;
  auto address = parse_listen_address(
      host == "*" ? std::to_string(port)
                  : (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                        std::to_string(port),
      &problem);
  if (verb != "bind" || !address) {
    reply = "error cxpm cannot hand over this address: " + (problem.empty() ? verb : problem);
  } else {
    auto resolved = resolve_(*address);
    if (auto* error = std::get_if<std::string>(&resolved)) {
      reply = "error " + *error;
    } else {
      reply = "ok";
      fd = std::get<int>(resolved);
    }
  }
  if (!send_with_fd(daemon_end_.get(), reply, fd)) {
    spdlog::warn("socket broker: cannot answer a worker: {}", error_text(errno));
  }
}

}  // namespace cxpm
