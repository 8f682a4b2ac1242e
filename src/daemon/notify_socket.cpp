#include "cxpm/daemon/notify_socket.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "cxpm/sys/error.hpp"

namespace cxpm {

NotifySocket::Fields parse_notify_message(std::string_view text) {
  NotifySocket::Fields fields;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    if (const auto equals = line.find('='); equals != std::string_view::npos && equals > 0) {
      fields[std::string(line.substr(0, equals))] = std::string(line.substr(equals + 1));
    }
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return fields;
}

NotifySocket::NotifySocket(uv_loop_t* loop, OnMessage on_message)
    : on_message_(std::move(on_message)),
      address_("@cxpm-notify-" + std::to_string(::getpid())) {
  fd_.reset(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd_) throw_system_error("notify socket");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // Abstract: a leading NUL instead of the '@' users write.
  std::memcpy(address.sun_path + 1, address_.data() + 1, address_.size() - 1);
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size());
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
    throw_system_error("cannot bind the notify socket " + address_);
  }
  const int on = 1;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  uv_poll_init(loop, poll_.get(), fd_.get());
  poll_.mark_initialized();
  poll_.get()->data = this;
  uv_poll_start(poll_.get(), UV_READABLE, [](uv_poll_t* poll, int status, int) {
    if (status == 0) static_cast<NotifySocket*>(poll->data)->receive();
  });
  // The loop must not stay alive for this socket alone: it only matters while apps run.
  uv_unref(poll_.base());
}

void NotifySocket::receive() {
  for (;;) {
    char buffer[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec part{buffer, sizeof buffer - 1};
    msghdr message{};
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const ssize_t got = ::recvmsg(fd_.get(), &message, MSG_CMSG_CLOEXEC);
    if (got < 0) return;  // EAGAIN: drained
    pid_t sender = 0;
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header;
         header = CMSG_NXTHDR(&message, header)) {
      if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_CREDENTIALS) {
        ucred credentials{};
        std::memcpy(&credentials, CMSG_DATA(header), sizeof credentials);
        sender = credentials.pid;
      } else if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
        // sd_pid_notify_with_fds: we keep no descriptors; close what was sent.
        const auto count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
          int fd = -1;
          std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
          ::close(fd);
        }
      }
    }
    if (sender <= 0) continue;
    on_message_(sender, parse_notify_message({buffer, static_cast<std::size_t>(got)}));
  }
}

}  // namespace cxpm
