#pragma once
// The decisions of one instance's health check, with time passed in: when the next probe is
// due, when the start period ends, and what a result means — the first pass makes the instance
// ready, `failures` failures in a row make it unhealthy (to be restarted), a pass after a
// failure makes it healthy again. The daemon (daemon/health_checks.cpp) runs the probes.

#include <string>

#include "cxpm/core/clock.hpp"

namespace cxpm {

struct HealthSettings {
  Milliseconds interval{5000};
  Milliseconds start_period{0};  // failures in this grace after the start are not counted
  int failures = 3;              // in a row before the instance is unhealthy
};

class HealthTracker {
 public:
  enum class Verdict {
    kNothing,    // nothing changed
    kReady,      // the first pass since the start
    kRecovered,  // a pass after failures
    kFailing,    // a counted failure, fewer than `failures` in a row
    kUnhealthy,  // the failure that reaches `failures` in a row: act now
  };

  HealthTracker(HealthSettings settings, TimePoint started_at);

  // When the first probe runs: right after the start (a probe at once, so a ready server is
  // known ready without waiting an interval).
  TimePoint first_probe_at() const { return started_at_; }
  // When the probe after one that finished at `now` runs.
  TimePoint next_probe_at(TimePoint now) const { return now + settings_.interval; }

  Verdict on_pass(TimePoint now);
  // `error` is kept as the last error, also for failures in the start period (not counted).
  Verdict on_fail(TimePoint now, std::string error);

  // The restart kUnhealthy asked for could not run (the app was busy): the next failure gives
  // kUnhealthy again.
  void try_again() { acted_ = false; }

  int failures_in_a_row() const { return failures_in_a_row_; }
  bool passed_once() const { return passed_once_; }
  // Failing now: at least one counted failure and no pass since.
  bool failing() const { return failures_in_a_row_ > 0; }
  const std::string& last_error() const { return last_error_; }

 private:
  HealthSettings settings_;
  TimePoint started_at_;
  int failures_in_a_row_ = 0;
  bool passed_once_ = false;
  bool acted_ = false;  // kUnhealthy given for this run of failures
  std::string last_error_;
};

const char* to_string(HealthTracker::Verdict verdict);

}  // namespace cxpm
