#include "cxpm/core/drain_rules.hpp"

#include <algorithm>

namespace cxpm {

bool is_mid_request(const ConnectionActivity& connection, const DrainSettings& settings) {
  if (connection.unread > 0 || connection.unsent > 0) return true;
  if (connection.bytes_received == 0) {
    return connection.ms_since_received < settings.first_request_grace.count();
  }
  // A connection opened and sent its request within one tick shows both times alike: the
  // byte count tells that nothing was answered yet.
  if (connection.bytes_acked == 0) return true;
  // Both count back from now: fewer ms since data came than since data went means the last
  // thing that happened on the connection was a request coming in.
  return connection.ms_since_received < connection.ms_since_sent;
}

DrainProgress::Verdict DrainProgress::observe(TimePoint now, const DrainSample& sample) {
  long busy = 0;
  long waited_for = 0;
  for (const auto& connection : sample.connections) {
    const auto [first, new_one] = first_acked_.try_emplace(connection.id, connection.bytes_acked);
    if (!new_one && connection.bytes_acked > first->second) seen_idle_.insert(connection.id);
    if (!is_mid_request(connection, settings_)) {
      seen_idle_.insert(connection.id);
    } else {
      ++busy;
      if (!seen_idle_.contains(connection.id)) ++waited_for;
    }
  }
  state_ = std::to_string(busy) + (busy == 1 ? " connection" : " connections") + " mid-request, " +
           std::to_string(sample.queued) + " queued";
  // Only the queue restarts the quiet period: a connection busy now is waited for, but a
  // kept-alive one busy at most looks (requests back to back) must not hold the drain until
  // drain_timeout; the first look that finds it between requests ends the drain.
  if (sample.queued > 0) {
    quiet_since_.reset();
  } else if (!quiet_since_) {
    quiet_since_ = now;
  }
  if (waited_for == 0 && quiet_since_ && now - *quiet_since_ >= settings_.quiet) {
    return Verdict::kDrained;
  }
  if (now - started_ >= settings_.timeout) return Verdict::kTimedOut;
  return Verdict::kDraining;
}

}  // namespace cxpm
