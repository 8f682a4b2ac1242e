#include "cxpm/core/retry_backoff.hpp"

#include <doctest/doctest.h>

using namespace cxpm;
using namespace std::chrono_literals;

TEST_CASE("a passing failure is retried ever more slowly, up to a bound") {
  RetryBackoff backoff;
  CHECK(backoff.next(0ms) == 100ms);
  CHECK(backoff.next(0ms) == 200ms);
  CHECK(backoff.next(0ms) == 400ms);
  for (int i = 0; i < 20; ++i) backoff.next(0ms);
  CHECK(backoff.next(0ms) == RetryBackoff::kMost);
}

TEST_CASE("the app's restart_delay is the shortest wait") {
  RetryBackoff backoff;
  CHECK(backoff.next(1000ms) == 1000ms);
  CHECK(backoff.next(1000ms) == 1000ms);  // 200 ms, raised to the floor
  CHECK(backoff.next(0ms) == 400ms);      // the doubling went on underneath
}

TEST_CASE("a success starts the waits again from the first") {
  RetryBackoff backoff;
  backoff.next(0ms);
  backoff.next(0ms);
  backoff.reset();
  CHECK(backoff.next(0ms) == 100ms);
}
