#include "cxpm/core/notify_coalescer.hpp"

#include <doctest/doctest.h>

using namespace cxpm;
using namespace std::chrono_literals;
using Due = NotifyCoalescer::Due;

namespace {
const NotifyCoalescer::Key kCrash{"api", "crash"};
}

TEST_CASE("notify: the first event goes out at once, the rest of its interval are counted") {
  NotifyCoalescer coalescer;
  const TimePoint start{};
  CHECK(coalescer.offer(kCrash, start, 10s) == 1);
  CHECK(coalescer.next_due() == start + 10s);
  CHECK_FALSE(coalescer.offer(kCrash, start + 1s, 10s));
  CHECK_FALSE(coalescer.offer(kCrash, start + 2s, 10s));
  CHECK_FALSE(coalescer.offer(kCrash, start + 9999ms, 10s));
  CHECK(coalescer.take_due(start + 9s).empty());
  CHECK(coalescer.take_due(start + 10s) == std::vector<Due>{{kCrash, 3}});
}

TEST_CASE("notify: a storm makes one notification per interval, each with its count") {
  NotifyCoalescer coalescer;
  TimePoint now{};
  int sent_at_once = 0;
  std::vector<int> counts;
  // An event every 100 ms for 35 s, the timer taken when it is due.
  for (int tick = 0; tick < 350; ++tick, now += 100ms) {
    if (auto due = coalescer.next_due(); due && *due <= now) {
      for (const Due& flushed : coalescer.take_due(now)) counts.push_back(flushed.count);
    }
    if (auto count = coalescer.offer(kCrash, now, 10s)) sent_at_once += *count;
  }
  CHECK(sent_at_once == 1);
  // Windows end at 10 s, 20 s and 30 s: 100 events each but the first's (the one sent at once).
  CHECK(counts == std::vector<int>{99, 100, 100});
}

TEST_CASE("notify: a window that ends empty closes, and the next event goes out at once") {
  NotifyCoalescer coalescer;
  const TimePoint start{};
  CHECK(coalescer.offer(kCrash, start, 5s) == 1);
  CHECK(coalescer.take_due(start + 5s).empty());
  CHECK(coalescer.open_windows() == 0);
  CHECK_FALSE(coalescer.next_due());
  CHECK(coalescer.offer(kCrash, start + 60s, 5s) == 1);
}

TEST_CASE("notify: a flushed window opens the next one from when it was taken") {
  NotifyCoalescer coalescer;
  const TimePoint start{};
  CHECK(coalescer.offer(kCrash, start, 5s) == 1);
  CHECK_FALSE(coalescer.offer(kCrash, start + 1s, 5s));
  // Taken late (a busy loop): the next window counts from then.
  CHECK(coalescer.take_due(start + 7s) == std::vector<Due>{{kCrash, 1}});
  CHECK(coalescer.next_due() == start + 12s);
  CHECK_FALSE(coalescer.offer(kCrash, start + 11s, 5s));
  CHECK(coalescer.take_due(start + 12s) == std::vector<Due>{{kCrash, 1}});
}

TEST_CASE(
    "notify: an event after its window ended, before the window was taken, carries the "
    "count") {
  NotifyCoalescer coalescer;
  const TimePoint start{};
  CHECK(coalescer.offer(kCrash, start, 5s) == 1);
  CHECK_FALSE(coalescer.offer(kCrash, start + 1s, 5s));
  CHECK_FALSE(coalescer.offer(kCrash, start + 2s, 5s));
  CHECK(coalescer.offer(kCrash, start + 6s, 5s) == 3);
  CHECK(coalescer.take_due(start + 6s).empty());
  CHECK(coalescer.next_due() == start + 11s);
}

TEST_CASE("notify: apps and kinds are coalesced apart") {
  NotifyCoalescer coalescer;
  const TimePoint start{};
  const NotifyCoalescer::Key restart{"api", "restart"};
  const NotifyCoalescer::Key other{"web", "crash"};
  CHECK(coalescer.offer(kCrash, start, 10s) == 1);
  CHECK(coalescer.offer(restart, start, 10s) == 1);
  CHECK(coalescer.offer(other, start + 1s, 2s) == 1);
  CHECK_FALSE(coalescer.offer(kCrash, start + 1s, 10s));
  CHECK_FALSE(coalescer.offer(other, start + 2s, 2s));
  CHECK(coalescer.next_due() == start + 3s);
  CHECK(coalescer.take_due(start + 3s) == std::vector<Due>{{other, 1}});
  CHECK(coalescer.take_due(start + 10s) == std::vector<Due>{{kCrash, 1}});
  CHECK(coalescer.open_windows() == 1);  // kCrash's next one; the empty ones closed
}
