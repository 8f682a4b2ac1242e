#pragma once
// The daemon's recent events across apps (`cxpm events`): every event an instance records
// (Supervisor::record) with its kind, the last kCapacity of them in a ring, sent on to the
// `events --follow` readers and to the listeners (notifications). A reader that leaves more
// than kMaxUnread bytes unread is told too_slow and dropped, as `logs` readers are.

#include <functional>
#include <vector>

#include "cxpm/core/recent_ring.hpp"
#include "cxpm/daemon/control_server.hpp"
#include "cxpm/protocol/daemon_events.hpp"

namespace cxpm {

class EventLog {
 public:
  static constexpr std::size_t kCapacity = 1000;
  static constexpr std::size_t kMaxUnread = 1024 * 1024;
  using Listener = std::function<void(const DaemonEvent&)>;

  void add(DaemonEvent event);
  // The last `count` events, oldest first.
  std::vector<DaemonEvent> last(std::size_t count) const;
  void follow(Responder reader);
  // Told of each event after it is in the ring; must not add events itself.
  void listen(Listener listener) { listeners_.push_back(std::move(listener)); }

 private:
  RecentRing<DaemonEvent, kCapacity> recent_;
  std::vector<Responder> readers_;
  std::vector<Listener> listeners_;
};

}  // namespace cxpm
