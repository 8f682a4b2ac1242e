#pragma once
// `max_memory_restart`: a graceful restart (kill_signal, then SIGKILL after kill_timeout) of
// an instance whose resident memory passed the app's limit. One timer checks every
// kCheckInterval, and only while some app sets a limit: an idle daemon runs no timer. A check
// reads /proc/<pid>/stat of each limited instance, nothing else.
//
// The limit applies to the instance's own process (the memory `cxpm ls` shows), not to its
// children, as in pm2.

#include <uv.h>

#include <set>
#include <string>

#include "cxpm/daemon/lifecycle_gate.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

class MemoryLimits final : public AppObserver {
 public:
  // pm2 checks every 30 s; a /proc read is cheap enough to catch a leak sooner.
  static constexpr Milliseconds kCheckInterval{2000};

  MemoryLimits(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate);

  void on_app_added(App& app) override;
  void on_app_removed(App& app) override;

 private:
  void schedule_check();
  void check();

  Supervisor& supervisor_;
  LifecycleGate& gate_;
  Timer timer_;
  std::set<std::string, std::less<>> limited_;  // names of apps with a limit
};

}  // namespace cxpm
