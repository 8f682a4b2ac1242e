#include "cxpm/sys/fd_passing.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace cxpm {

bool send_message(int socket, const std::string& text, int fd) {
  if (text.size() > kMaxLinkMessage) {
    errno = EMSGSIZE;
    return false;
  }
  iovec data{const_cast<char*>(text.data()), text.size()};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fd, sizeof fd);
  }
  for (;;) {
    const ssize_t sent = ::sendmsg(socket, &message, MSG_NOSIGNAL);
    if (sent >= 0) return true;
    if (errno != EINTR) return false;
  }
}

std::optional<ReceivedMessage> receive_message(int socket, bool wait) {
  std::vector<char> buffer(kMaxLinkMessage);
  iovec data{buffer.data(), buffer.size()};
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  // Room for a few: a peer that sends more than one is wrong, and the extra are closed.
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)] = {};
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t got;
  do {
    got = ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC | (wait ? 0 : MSG_DONTWAIT));
  } while (got < 0 && errno == EINTR);
  if (got < 0) return std::nullopt;
  ReceivedMessage received;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof fd);
      if (!received.fd) {
        received.fd.reset(fd);
      } else {
        UniqueFd extra(fd);
      }
    }
  }
  if (got == 0 && !received.fd) {
    errno = 0;
    return std::nullopt;  // end of file (an empty datagram is never sent)
  }
  received.text.assign(buffer.data(), static_cast<std::size_t>(got));
  return received;
}

}  // namespace cxpm
