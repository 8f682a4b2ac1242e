#pragma once
// What GET /metrics says (docs/web.md lists the metrics): read on the supervisor's loop when
// a scrape asks, from the supervisor's table, /proc and the LogHub's counts; nothing is kept
// or sampled in between, except the reload counts the event log tells as they happen.

#include <map>
#include <string>
#include <utility>

#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

class WebMetrics {
 public:
  // Listens to the supervisor's event log for reloads and their failures.
  explicit WebMetrics(Supervisor& supervisor);

  // The Prometheus text of this moment.
  std::string text();

 private:
  struct ReloadCount {
    std::uint64_t reloads = 0;
    std::uint64_t failures = 0;
  };
  Supervisor& supervisor_;
  std::map<std::pair<std::string, int>, ReloadCount> reloads_;  // by app and instance
};

}  // namespace cxpm
