#include "cxpm/daemon/service_notify.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

ServiceNotifier ServiceNotifier::from_environment(bool ours) {
  ServiceNotifier notifier;
  const char* address = std::getenv("NOTIFY_SOCKET");
  if (address && ours) notifier.address_ = address;
  ::unsetenv("NOTIFY_SOCKET");
  return notifier;
}

void ServiceNotifier::notify(const std::string& message) const {
  if (address_.empty()) return;
  sockaddr_un target{};
  target.sun_family = AF_UNIX;
  const bool abstract = address_.front() == '@';
  if ((address_.front() != '/' && !abstract) || address_.size() > sizeof target.sun_path ||
      (address_.size() == sizeof target.sun_path && !abstract)) {
    spdlog::warn("NOTIFY_SOCKET={} is no socket address; the service manager is not told",
                 address_);
    return;
  }
  std::memcpy(target.sun_path, address_.data(), address_.size());
  if (abstract) target.sun_path[0] = '\0';
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() +
                                             (abstract ? 0 : 1));
  UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket || ::sendto(socket.get(), message.data(), message.size(), MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(&target), length) < 0) {
    spdlog::warn("cannot tell the service manager ({}) at NOTIFY_SOCKET={}: {}", message, address_,
                 error_text(errno));
  }
}

}  // namespace cxpm
