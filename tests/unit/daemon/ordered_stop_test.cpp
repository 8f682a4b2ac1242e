// stop and delete of several apps: dependents first, what they depend on once those are gone.
#include "cxpm/daemon/ordered_stop.hpp"

#include <doctest/doctest.h>

#include "supervisor_fakes.hpp"

namespace cxpm::testing {
namespace {

AppSpec depending(std::string name, std::string on) {
  AppSpec spec = test_app(std::move(name));
  spec.depends_on = {{std::move(on), DependencyCondition::kReady}};
  return spec;
}

}  // namespace

TEST_CASE("stop goes in waves: c, then b, then a; an unrelated app with the first") {
  SupervisorHarness harness;
  Instance& a = harness.add(test_app("a"));
  Instance& b = harness.add(depending("b", "a"));
  Instance& c = harness.add(depending("c", "b"));
  Instance& x = harness.add(test_app("x"));
  const pid_t pa = a.pid, pb = b.pid, pc = c.pid, px = x.pid;
  bool done = false;
  stop_dependents_first(harness.supervisor(), {&a, &b, &c, &x}, StopKind::kStop,
                        [&done] { done = true; });
  CHECK(harness.was_signalled_at_all(pc));
  CHECK(harness.was_signalled_at_all(px));
  CHECK_FALSE(harness.was_signalled_at_all(pb));
  CHECK_FALSE(harness.was_signalled_at_all(pa));
  harness.exit_by_signal(px, SIGINT);
  CHECK_FALSE(harness.was_signalled_at_all(pb));
  harness.exit_by_signal(pc, SIGINT);
  CHECK(harness.was_signalled_at_all(pb));
  CHECK_FALSE(harness.was_signalled_at_all(pa));
  harness.exit_by_signal(pb, SIGINT);
  CHECK(harness.was_signalled_at_all(pa));
  CHECK_FALSE(done);
  harness.exit_by_signal(pa, SIGINT);
  CHECK(done);
  CHECK(a.status == Status::kStopped);
}

TEST_CASE("delete removes in the same waves, and an empty list is done at once") {
  SupervisorHarness harness;
  Instance& a = harness.add(test_app("a"));
  Instance& b = harness.add(depending("b", "a"));
  const pid_t pa = a.pid, pb = b.pid;
  bool done = false;
  stop_dependents_first(harness.supervisor(), {&a, &b}, StopKind::kRemove,
                        [&done] { done = true; });
  CHECK_FALSE(harness.was_signalled_at_all(pa));
  harness.exit_by_signal(pb, SIGINT);
  CHECK_FALSE(harness.supervisor().find_app("b"));
  CHECK(harness.was_signalled_at_all(pa));
  harness.exit_by_signal(pa, SIGINT);
  CHECK(done);
  CHECK(harness.supervisor().apps().empty());
  bool nothing = false;
  stop_dependents_first(harness.supervisor(), {}, StopKind::kStop, [&nothing] { nothing = true; });
  CHECK(nothing);
}

}  // namespace cxpm::testing
