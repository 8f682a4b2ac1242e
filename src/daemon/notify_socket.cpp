#include "cxpm/daemon/notify_socket.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
    : on_message_(std::move(on_message)), address_("@cxpm-notify-" + std::to_string(::getpid())) {
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
  uv_timer_init(loop, rest_.get());
  rest_.mark_initialized();
  rest_.get()->data = this;
  listen();
}

void NotifySocket::listen() {
  uv_poll_start(poll_.get(), UV_READABLE, [](uv_poll_t* poll, int status, int) {
    if (status == 0) static_cast<NotifySocket*>(poll->data)->receive();
  });
  // The loop must not stay alive for this socket alone: it only matters while apps run.
  uv_unref(poll_.base());
}

void NotifySocket::expect(pid_t pid) {
  struct stat info {};
  if (pid <= 0 || ::stat(("/proc/" + std::to_string(pid)).c_str(), &info) != 0) return;
  forget(pid);
  known_pids_.emplace(pid, info.st_uid);
  ++known_uids_[info.st_uid];
}

void NotifySocket::forget(pid_t pid) {
  auto it = known_pids_.find(pid);
  if (it == known_pids_.end()) return;
  if (--known_uids_[it->second] == 0) known_uids_.erase(it->second);
  known_pids_.erase(it);
}

void NotifySocket::report_drops(pid_t pid, uid_t uid) {
  ++dropped_;
  ++dropped_unreported_;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_report_ < kDropReportInterval) return;
  spdlog::warn(
      "dropped {} notify datagram(s) from processes the daemon does not run (the last "
      "from pid {}, uid {})",
      dropped_unreported_, pid, uid);
  dropped_unreported_ = 0;
  last_report_ = now;
}

void NotifySocket::receive() {
  int strangers = 0;
  int lookups = 0;
  int read = 0;
  for (; read < kMaxDatagramsPerTurn; ++read) {
    char buffer[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(253 * sizeof(int))];
    iovec part{buffer, sizeof buffer - 1};
    msghdr message{};
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const ssize_t got = ::recvmsg(fd_.get(), &message, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (got < 0) break;  // EAGAIN: drained
    ucred sender{};
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header;
         header = CMSG_NXTHDR(&message, header)) {
      if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_CREDENTIALS) {
        std::memcpy(&sender, CMSG_DATA(header), sizeof sender);
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
    if (sender.pid <= 0) continue;
    // Only these two lookups before deciding: no /proc, no parsing, for a stranger.
    const bool started_by_us = known_pids_.contains(sender.pid);
    if (!started_by_us) {
      ++strangers;
      if (!known_uids_.contains(sender.uid) || lookups >= kMaxLookupsPerTurn) {
        report_drops(sender.pid, sender.uid);
        continue;
      }
      ++lookups;
    }
    on_message_(sender.pid, parse_notify_message({buffer, static_cast<std::size_t>(got)}));
  }
  if (read == kMaxDatagramsPerTurn && strangers * 2 > read) {
    // A flood: let it wait in the socket's short queue (the kernel blocks or refuses its
    // senders meanwhile) instead of spending the loop on it.
    uv_poll_stop(poll_.get());
    uv_timer_start(
        rest_.get(), [](uv_timer_t* timer) { static_cast<NotifySocket*>(timer->data)->listen(); },
        static_cast<std::uint64_t>(kRestAfterFlood.count()), 0);
    uv_unref(rest_.base());
  }
}

}  // namespace cxpm
