#include "cxpm/daemon/connection_drain.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "cxpm/sys/socket_diag.hpp"

namespace cxpm {
namespace {

constexpr Milliseconds kLookEvery{20};

// The port and family a listener is bound to, as sock_diag reports it.
bool bound_address(int fd, int& family, int& port) {
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) return false;
  family = bound.ss_family;
  if (family == AF_INET) {
    port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  } else if (family == AF_INET6) {
    port = ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  } else {
    return false;
  }
  return true;
}

}  // namespace

ConnectionDrain::ConnectionDrain(Timers& timers, const std::vector<int>& listeners,
                                 std::vector<pid_t> holders, DrainSettings settings,
                                 Finished finished)
    : timers_(timers),
      holders_(std::move(holders)),
      progress_(settings, timers.now()),
      finished_(std::move(finished)),
      timer_(timers.one_shot()) {
  for (int fd : listeners) {
    Listener listener{0, 0, socket_inode(fd)};
    if (bound_address(fd, listener.family, listener.port)) listeners_.push_back(listener);
  }
  timer_->start(Milliseconds{0}, [this] { look(); });
}

std::string ConnectionDrain::state() const {
  return "draining " + std::to_string(progress_.elapsed(timers_.now()).count()) +
         " ms: " + progress_.state();
}

std::optional<DrainSample> ConnectionDrain::sample() {
  std::unordered_set<std::uint64_t> held;
  for (pid_t pid : holders_) held.merge(socket_inodes_held_by(pid));
  DrainSample sample;
  std::set<std::pair<int, int>> looked;  // (family, port): several listeners may share one
  constexpr std::uint32_t kStates = 1U << TCP_LISTEN | 1U << TCP_ESTABLISHED | 1U << TCP_CLOSE_WAIT;
  for (const auto& listener : listeners_) {
    if (!looked.insert({listener.family, listener.port}).second) continue;
    auto reports = tcp_sockets_on_port(listener.family, listener.port, kStates);
    if (auto* failure = std::get_if<std::string>(&reports)) {
      spdlog::warn("cannot watch connections drain ({}): stopping the worker now", *failure);
      return std::nullopt;
    }
    for (const auto& report : std::get<std::vector<TcpSocketReport>>(reports)) {
      if (report.state == TCP_LISTEN) {
        const bool ours = std::ranges::any_of(
            listeners_, [&](const Listener& mine) { return mine.inode == report.inode; });
        if (ours) sample.queued += report.rqueue;
      } else if (held.contains(report.inode)) {
        sample.connections.push_back({report.inode, report.rqueue, report.wqueue,
                                      report.ms_since_received, report.ms_since_sent,
                                      report.bytes_received, report.bytes_acked});
      }
    }
  }
  return sample;
}

void ConnectionDrain::look() {
  const auto seen = sample();
  const auto verdict =
      seen ? progress_.observe(timers_.now(), *seen) : DrainProgress::Verdict::kDrained;
  if (verdict == DrainProgress::Verdict::kDraining) {
    timer_->start(kLookEvery, [this] { look(); });
    return;
  }
  auto finished = std::move(finished_);
  finished(verdict, progress_.elapsed(timers_.now()));
}

}  // namespace cxpm
