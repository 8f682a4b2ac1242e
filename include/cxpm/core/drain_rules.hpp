#pragma once
// When a retiring worker has drained: what the kernel shows of its sockets (sock_diag), judged
// over time. The worker no longer receives new connections (its socket is left out of the
// reuseport group's steering); it is signalled once its accept queue has been empty for a quiet
// period and none of its connections is mid-request, or once drain_timeout has passed.
//
// "Mid-request" is read from the kernel's counters, not from the protocol, so it is a
// judgement: bytes wait unread or unsent; or data arrived and the worker never sent any (its
// first request, not answered yet); or data arrived after the last data the worker sent (a
// later request); or the connection is young and nothing arrived yet (its first request is on
// its way). A connection whose last exchange ended with the worker sending is
// idle (an HTTP keep-alive connection between requests). Times come in milliseconds as the
// kernel counts them (tcp_info), so a request that arrives in the same tick as the previous
// response and takes longer than the quiet period to answer is taken for idle.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cxpm/core/clock.hpp"

namespace cxpm {

struct ConnectionActivity {
  std::uint64_t id = 0;                 // the same connection in every look (its socket's inode)
  std::uint32_t unread = 0;             // bytes received, not read by the worker (Recv-Q)
  std::uint32_t unsent = 0;             // bytes written, not yet acknowledged by the peer (Send-Q)
  std::uint32_t ms_since_received = 0;  // since the last data came (tcpi_last_data_recv)
  std::uint32_t ms_since_sent = 0;      // since the last data went (tcpi_last_data_sent)
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_acked = 0;  // of what the worker sent
};

// One look at a worker's sockets.
struct DrainSample {
  std::uint32_t queued = 0;  // connections in its listeners' accept queues
  std::vector<ConnectionActivity> connections;
};

struct DrainSettings {
  Milliseconds timeout{10000};
  // Nothing queued for this long: connections whose handshake picked the worker just before it
  // was left out have arrived (an RTT), and none appeared.
  Milliseconds quiet{100};
  // A connection on which nothing arrived yet counts as mid-request while younger than this.
  Milliseconds first_request_grace{1000};
};

bool is_mid_request(const ConnectionActivity& connection, const DrainSettings& settings);

class DrainProgress {
 public:
  enum class Verdict { kDraining, kDrained, kTimedOut };

  DrainProgress(DrainSettings settings, TimePoint started)
      : settings_(settings), started_(started) {}

  Verdict observe(TimePoint now, const DrainSample& sample);
  // What the last sample showed, for `ls`/`describe`: "2 connections mid-request, 1 queued".
  const std::string& state() const { return state_; }
  Milliseconds elapsed(TimePoint now) const { return now - started_; }

 private:
  DrainSettings settings_;
  TimePoint started_;
  std::optional<TimePoint> quiet_since_;
  // Connections seen between requests since the drain began: kept-alive ones whose client
  // sends again at once are not waited for again (waiting would only reach drain_timeout).
  std::set<std::uint64_t> seen_idle_;
  // What each connection's worker had sent when first seen: one that has answered since is
  // kept alive with requests back to back (busy at every look) and is not waited for either.
  std::map<std::uint64_t, std::uint64_t> first_acked_;
  std::string state_ = "starting";
};

}  // namespace cxpm
