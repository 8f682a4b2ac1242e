#include "cxpm/core/lifecycle_queue.hpp"

#include <doctest/doctest.h>

using namespace cxpm;

namespace {

TimePoint at(int ms) {
  return TimePoint{Milliseconds{ms}};
}
const TimePoint kFar = at(1'000'000);

}  // namespace

TEST_CASE("lifecycle queue: scopes overlap by name, and `every app` overlaps everything") {
  CHECK(AppScope::of({"web"}).overlaps(AppScope::of({"api", "web"})));
  CHECK_FALSE(AppScope::of({"web"}).overlaps(AppScope::of({"api"})));
  CHECK(AppScope::all().overlaps(AppScope::of({"api"})));
  CHECK(AppScope::of({"api"}).overlaps(AppScope::all()));
  CHECK_FALSE(AppScope::of({}).overlaps(AppScope::of({"api"})));
  CHECK(AppScope::of({"a", "b", "c"}).describe() == "a, b and c");
  CHECK(AppScope::of({"a", "b"}).describe() == "a and b");
  CHECK(AppScope::all().describe() == "every app");
}

TEST_CASE("lifecycle queue: two operations on one app run one after the other, in order") {
  LifecycleQueue queue;
  const auto reload = queue.enqueue("reload", AppScope::of({"web"}), at(0), kFar);
  const auto restart = queue.enqueue("restart", AppScope::of({"web"}), at(1), kFar);
  CHECK(queue.start_ready(at(2)) == std::vector{reload});
  CHECK(queue.start_ready(at(3)).empty());
  CHECK(queue.holder_of(restart)->ticket == reload);
  CHECK(queue.holder_of(reload) == nullptr);  // running, not waiting
  queue.finish(reload);
  CHECK(queue.start_ready(at(4)) == std::vector{restart});
  queue.finish(restart);
  CHECK(queue.size() == 0);
}

TEST_CASE("lifecycle queue: operations on other apps run side by side") {
  LifecycleQueue queue;
  const auto web = queue.enqueue("stop", AppScope::of({"web"}), at(0), kFar);
  const auto api = queue.enqueue("stop", AppScope::of({"api"}), at(0), kFar);
  CHECK(queue.start_ready(at(0)) == std::vector{web, api});
}

TEST_CASE("lifecycle queue: a later operation never overtakes an earlier one on its app") {
  LifecycleQueue queue;
  const auto web = queue.enqueue("restart", AppScope::of({"web"}), at(0), kFar);
  const auto both = queue.enqueue("stop", AppScope::of({"web", "api"}), at(1), kFar);
  const auto api = queue.enqueue("delete", AppScope::of({"api"}), at(2), kFar);
  CHECK(queue.start_ready(at(3)) == std::vector{web});
  // `api` is free, but the waiting `both` came first and touches it.
  CHECK(queue.holder_of(api)->ticket == both);
  queue.finish(web);
  CHECK(queue.start_ready(at(4)) == std::vector{both});
  CHECK(queue.holder_of(api)->ticket == both);
  queue.finish(both);
  CHECK(queue.start_ready(at(5)) == std::vector{api});
}

TEST_CASE("lifecycle queue: `every app` waits for all and holds all") {
  LifecycleQueue queue;
  const auto web = queue.enqueue("restart", AppScope::of({"web"}), at(0), kFar);
  const auto all = queue.enqueue("stop", AppScope::all(), at(1), kFar);
  const auto api = queue.enqueue("restart", AppScope::of({"api"}), at(2), kFar);
  CHECK(queue.start_ready(at(2)) == std::vector{web});
  CHECK(queue.busy(AppScope::of({"anything"})));
  queue.finish(web);
  CHECK(queue.start_ready(at(3)) == std::vector{all});
  CHECK(queue.holder_of(api)->ticket == all);
  queue.finish(all);
  CHECK(queue.start_ready(at(4)) == std::vector{api});
}

TEST_CASE("lifecycle queue: busy tells whether an app is touched by anything queued") {
  LifecycleQueue queue;
  CHECK_FALSE(queue.busy(AppScope::of({"web"})));
  const auto stop = queue.enqueue("stop", AppScope::of({"web"}), at(0), kFar);
  CHECK(queue.busy(AppScope::of({"web"})));  // queued, not yet started
  CHECK_FALSE(queue.busy(AppScope::of({"api"})));
  queue.start_ready(at(0));
  queue.finish(stop);
  CHECK_FALSE(queue.busy(AppScope::of({"web"})));
}

TEST_CASE("lifecycle queue: deadlines of waiting operations, and withdrawing one") {
  LifecycleQueue queue;
  const auto reload = queue.enqueue("reload", AppScope::of({"web"}), at(0), at(100));
  const auto restart = queue.enqueue("restart", AppScope::of({"web"}), at(10), at(500));
  const auto stop = queue.enqueue("stop", AppScope::of({"web"}), at(20), at(300));
  queue.start_ready(at(0));
  // A running operation has no deadline; the earliest waiting one counts.
  CHECK(queue.next_deadline() == at(300));
  CHECK(queue.overdue(at(299)).empty());
  CHECK(queue.overdue(at(300)) == std::vector{stop});
  CHECK(queue.overdue(at(600)) == std::vector{restart, stop});
  queue.finish(stop);  // refused: withdrawn from the queue
  CHECK(queue.next_deadline() == at(500));
  queue.finish(reload);
  CHECK(queue.start_ready(at(600)) == std::vector{restart});
  CHECK_FALSE(queue.next_deadline().has_value());
}

TEST_CASE("lifecycle queue: the busy message names the holder, its apps and since when") {
  LifecycleQueue queue;
  const auto reload = queue.enqueue("reload", AppScope::of({"web", "api"}), at(0), kFar);
  const auto restart = queue.enqueue("restart", AppScope::of({"web"}), at(500), kFar);
  const auto stop = queue.enqueue("stop", AppScope::of({"web"}), at(600), kFar);
  queue.start_ready(at(1000));
  CHECK(busy_message(*queue.holder_of(restart), AppScope::of({"web"}), at(3500)) ==
        "busy: a reload of web is in progress (started 2 s ago); retry");
  queue.finish(reload);
  queue.start_ready(at(4000));
  CHECK(busy_message(*queue.holder_of(stop), AppScope::of({"web"}), at(9000)) ==
        "busy: a restart of web is in progress (started 5 s ago); retry");
  const auto all = queue.enqueue("stop", AppScope::all(), at(9000), kFar);
  const auto api = queue.enqueue("delete", AppScope::of({"api"}), at(9000), kFar);
  CHECK(queue.holder_of(api)->ticket == all);
  CHECK(busy_message(*queue.holder_of(api), AppScope::of({"api"}), at(12000)) ==
        "busy: a stop of api is waiting ahead (queued 3 s ago); retry");
  CHECK(busy_message(*queue.find(restart), AppScope::all(), at(12000)) ==
        "busy: a restart of web is in progress (started 8 s ago); retry");
}
