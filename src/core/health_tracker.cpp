#include "cxpm/core/health_tracker.hpp"

#include <algorithm>
#include <utility>

namespace cxpm {

HealthTracker::HealthTracker(HealthSettings settings, TimePoint started_at)
    : settings_(settings), started_at_(started_at) {
  settings_.failures = std::max(settings_.failures, 1);
}

HealthTracker::Verdict HealthTracker::on_pass(TimePoint /*now*/) {
  const bool first = !passed_once_;
  const bool was_failing = failures_in_a_row_ > 0;
  passed_once_ = true;
  failures_in_a_row_ = 0;
  acted_ = false;
  if (first) return Verdict::kReady;
  return was_failing ? Verdict::kRecovered : Verdict::kNothing;
}

HealthTracker::Verdict HealthTracker::on_fail(TimePoint now, std::string error) {
  last_error_ = std::move(error);
  // A server still starting up is not failing yet; once it passed, the grace is over.
  if (!passed_once_ && now < started_at_ + settings_.start_period) return Verdict::kNothing;
  ++failures_in_a_row_;
  if (failures_in_a_row_ < settings_.failures) return Verdict::kFailing;
  if (acted_) return Verdict::kFailing;  // told once; the restart under way deals with it
  acted_ = true;
  return Verdict::kUnhealthy;
}

const char* to_string(HealthTracker::Verdict verdict) {
  switch (verdict) {
    case HealthTracker::Verdict::kNothing:
      return "nothing";
    case HealthTracker::Verdict::kReady:
      return "ready";
    case HealthTracker::Verdict::kRecovered:
      return "recovered";
    case HealthTracker::Verdict::kFailing:
      return "failing";
    case HealthTracker::Verdict::kUnhealthy:
      return "unhealthy";
  }
  return "unknown";
}

}  // namespace cxpm
