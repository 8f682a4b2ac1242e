#include "cxpm/core/restart_policy.hpp"

#include <algorithm>
#include <string>

namespace cxpm {
namespace {

std::string describe_exit(const Exit& exit) {
  if (!exit.signal && !exit.exit_code) return "exited while no daemon ran";
  if (exit.signal) return "killed by signal " + std::to_string(*exit.signal);
  return "exited with code " + std::to_string(exit.exit_code.value_or(0));
}

std::string format_window(Milliseconds window) {
  auto seconds = window.count() / 1000;
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds) + " s";
}

}  // namespace

RestartDecision RestartPolicy::on_exit(const Exit& exit) {
  using Action = RestartDecision::Action;
  if (exit.exit_code && std::ranges::find(settings_.stop_exit_codes, *exit.exit_code) !=
                            settings_.stop_exit_codes.end()) {
    return {Action::kStop, {}, describe_exit(exit) + ", listed in stop_exit_codes"};
  }
  if (!settings_.autorestart) {
    return {Action::kStop, {}, describe_exit(exit) + "; autorestart is off"};
  }

  const Milliseconds uptime = exit.ended - exit.started;
  if (uptime < settings_.min_uptime) {
    ++unstable_restarts_;
    if (unstable_restarts_ >= settings_.max_restarts) {
      return {Action::kGiveUp,
              {},
              describe_exit(exit) + "; " + std::to_string(unstable_restarts_) +
                  " unstable restarts in a row (each run shorter than min_uptime " +
                  std::to_string(settings_.min_uptime.count()) + " ms)"};
    }
  } else {
    unstable_restarts_ = 0;
  }
  if (uptime >= kBackoffResetUptime) last_backoff_ = Milliseconds{0};

  if (budget_spent(exit.ended)) {
    return {Action::kGiveUp,
            {},
            describe_exit(exit) + "; restart budget spent (" +
                std::to_string(settings_.restart_budget) + " restarts in " +
                format_window(settings_.restart_budget_window) + ")",
            true};
  }
  recent_restarts_.push_back(exit.ended);
  return {Action::kRestart, next_backoff(), {}};
}

Milliseconds RestartPolicy::next_backoff() {
  const Milliseconds initial = settings_.exp_backoff_restart_delay;
  if (initial.count() <= 0) return settings_.restart_delay;
  last_backoff_ = last_backoff_.count() == 0
                      ? initial
                      : std::min(kMaxBackoff, Milliseconds{last_backoff_.count() * 3 / 2});
  return last_backoff_;
}

bool RestartPolicy::budget_spent(TimePoint now) {
  if (settings_.restart_budget <= 0) return false;
  while (!recent_restarts_.empty() &&
         now - recent_restarts_.front() >= settings_.restart_budget_window) {
    recent_restarts_.pop_front();
  }
  return static_cast<int>(recent_restarts_.size()) >= settings_.restart_budget;
}

void RestartPolicy::reset() {
  unstable_restarts_ = 0;
  last_backoff_ = Milliseconds{0};
  recent_restarts_.clear();
}

}  // namespace cxpm
