#include "cxpm/core/health_tracker.hpp"

#include <doctest/doctest.h>

using namespace cxpm;
using namespace std::chrono_literals;
using Verdict = HealthTracker::Verdict;

TEST_CASE("health: the first pass makes the instance ready, later passes change nothing") {
  const TimePoint start{};
  HealthTracker tracker({.interval = 1s, .failures = 3}, start);
  CHECK(tracker.first_probe_at() == start);
  CHECK(tracker.on_pass(start) == Verdict::kReady);
  CHECK(tracker.passed_once());
  CHECK(tracker.on_pass(start + 1s) == Verdict::kNothing);
  CHECK(tracker.next_probe_at(start + 1s) == start + 2s);
}

TEST_CASE("health: `failures` failures in a row make it unhealthy, once") {
  TimePoint now{};
  HealthTracker tracker({.interval = 1s, .failures = 3}, now);
  CHECK(tracker.on_pass(now) == Verdict::kReady);
  now += 1s;
  CHECK(tracker.on_fail(now, "refused") == Verdict::kFailing);
  CHECK(tracker.failing());
  now += 1s;
  CHECK(tracker.on_fail(now, "refused") == Verdict::kFailing);
  now += 1s;
  CHECK(tracker.on_fail(now, "status 500") == Verdict::kUnhealthy);
  CHECK(tracker.last_error() == "status 500");
  CHECK(tracker.failures_in_a_row() == 3);
  // The restart is under way: more failures do not ask again.
  CHECK(tracker.on_fail(now + 1s, "refused") == Verdict::kFailing);
}

TEST_CASE("health: a pass breaks the run of failures") {
  TimePoint now{};
  HealthTracker tracker({.interval = 1s, .failures = 2}, now);
  CHECK(tracker.on_pass(now) == Verdict::kReady);
  CHECK(tracker.on_fail(now + 1s, "timeout") == Verdict::kFailing);
  CHECK(tracker.on_pass(now + 2s) == Verdict::kRecovered);
  CHECK_FALSE(tracker.failing());
  CHECK(tracker.on_fail(now + 3s, "timeout") == Verdict::kFailing);
  CHECK(tracker.on_fail(now + 4s, "timeout") == Verdict::kUnhealthy);
}

TEST_CASE("health: failures in the start period are not counted, but their error is kept") {
  const TimePoint start{};
  HealthTracker tracker({.interval = 1s, .start_period = 5s, .failures = 1}, start);
  CHECK(tracker.on_fail(start + 1s, "refused") == Verdict::kNothing);
  CHECK(tracker.on_fail(start + 4s, "refused") == Verdict::kNothing);
  CHECK(tracker.last_error() == "refused");
  CHECK_FALSE(tracker.failing());
  CHECK(tracker.on_fail(start + 5s, "refused") == Verdict::kUnhealthy);
}

TEST_CASE("health: a pass ends the start period early") {
  const TimePoint start{};
  HealthTracker tracker({.interval = 1s, .start_period = 60s, .failures = 1}, start);
  CHECK(tracker.on_pass(start + 1s) == Verdict::kReady);
  CHECK(tracker.on_fail(start + 2s, "refused") == Verdict::kUnhealthy);
}

TEST_CASE("health: failures below one count as one") {
  HealthTracker tracker({.interval = 1s, .failures = 0}, TimePoint{});
  CHECK(tracker.on_fail(TimePoint{} + 1s, "x") == Verdict::kUnhealthy);
}
