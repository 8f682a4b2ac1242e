#pragma once
// When an app exits on its own: restart it, and after how long, or give up.
// pm2's rules (autorestart, stop_exit_codes, min_uptime/max_restarts, restart_delay,
// exp_backoff_restart_delay) plus a restart budget over a sliding window, so a crash loop
// slower than min_uptime cannot restart forever.

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/core/clock.hpp"

namespace cxpm {

struct RestartSettings {
  bool autorestart = true;
  int max_restarts = 16;
  Milliseconds min_uptime{1000};
  Milliseconds restart_delay{0};
  Milliseconds exp_backoff_restart_delay{0};  // 0: off
  std::vector<int> stop_exit_codes;
  int restart_budget = 0;  // 0: no budget
  Milliseconds restart_budget_window{0};
};

struct Exit {
  std::optional<int> exit_code;  // set when the process exited normally
  std::optional<int> signal;     // set when a signal ended it
  TimePoint started;
  TimePoint ended;
};

struct RestartDecision {
  enum class Action { kRestart, kStop, kGiveUp };
  Action action = Action::kRestart;
  Milliseconds delay{0};      // with kRestart
  std::string reason;         // with kStop and kGiveUp: why, for `describe`
  bool budget_spent = false;  // kGiveUp because restart_budget ran out
};

class RestartPolicy {
 public:
  static constexpr Milliseconds kMaxBackoff{15000};
  static constexpr Milliseconds kBackoffResetUptime{30000};

  explicit RestartPolicy(RestartSettings settings) : settings_(std::move(settings)) {}

  // An exit nobody asked for.
  RestartDecision on_exit(const Exit& exit);

  // A restart someone asked for (or `reset`): forget the crash history.
  void reset();

  int unstable_restarts() const { return unstable_restarts_; }
  const RestartSettings& settings() const { return settings_; }

 private:
  Milliseconds next_backoff();
  bool budget_spent(TimePoint now);

  RestartSettings settings_;
  int unstable_restarts_ = 0;
  Milliseconds last_backoff_{0};
  std::deque<TimePoint> recent_restarts_;
};

}  // namespace cxpm
