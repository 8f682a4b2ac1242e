#include "cxpm/sys/notify_datagram.hpp"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

std::string send_notify_datagram(const std::string& address, const std::string& message) {
  sockaddr_un target{};
  target.sun_family = AF_UNIX;
  const bool abstract = !address.empty() && address.front() == '@';
  if (address.empty() || (address.front() != '/' && !abstract) ||
      address.size() >= sizeof target.sun_path) {
    return "NOTIFY_SOCKET=" + address + " is no socket address";
  }
  std::memcpy(target.sun_path, address.data(), address.size());
  if (abstract) target.sun_path[0] = '\0';
  const auto length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size() + (abstract ? 0 : 1));
  UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket || ::sendto(socket.get(), message.data(), message.size(), MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(&target), length) < 0) {
    return error_text(errno);
  }
  return {};
}

}  // namespace cxpm
