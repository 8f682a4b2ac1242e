#pragma once
// One lifecycle operation per app at a time. Operations (start, stop, restart, reload, scale,
// delete, ...) touch a set of apps; an operation runs once no operation queued before it
// touches any of its apps, so two commands on one app run one after the other, in the order
// they came, and neither sees the other's half-done state. Operations on other apps run side
// by side. An operation that waits past its deadline is refused, naming what holds its app.
//
// Pure bookkeeping: the daemon runs what `start_ready` hands it and says when each is done.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cxpm/core/clock.hpp"

namespace cxpm {

// The apps an operation touches: some by name, or every app (`all`, `kill`).
struct AppScope {
  bool every_app = false;
  std::set<std::string> names;

  static AppScope all() { return {true, {}}; }
  static AppScope of(std::set<std::string> names) { return {false, std::move(names)}; }
  bool overlaps(const AppScope& other) const;
  // "web", "web and api", "every app": for messages.
  std::string describe() const;
};

class LifecycleQueue {
 public:
  using Ticket = std::uint64_t;

  struct Operation {
    Ticket ticket = 0;
    std::string verb;  // "reload", "restart", ... as the message says it
    AppScope scope;
    TimePoint queued_at{};
    TimePoint deadline{};  // refused if still waiting then
    std::optional<TimePoint> started_at;
    bool running() const { return started_at.has_value(); }
  };

  // Queues an operation; it runs once `start_ready` hands it out.
  Ticket enqueue(std::string verb, AppScope scope, TimePoint now, TimePoint deadline);
  // Marks as running, and returns in queue order, every waiting operation that no operation
  // before it (running or waiting) overlaps.
  std::vector<Ticket> start_ready(TimePoint now);
  // The operation is over (or withdrawn while waiting); what waited on it may start.
  void finish(Ticket ticket);

  const Operation* find(Ticket ticket) const;
  // Whether any operation, running or waiting, touches one of `scope`'s apps.
  bool busy(const AppScope& scope) const;
  // What a waiting operation waits on: the running operation holding one of its apps, else
  // the first overlapping operation ahead of it. nullptr when it is not waiting.
  const Operation* holder_of(Ticket ticket) const;
  // Waiting operations whose deadline is at or before `now`, in queue order.
  std::vector<Ticket> overdue(TimePoint now) const;
  // The earliest deadline of a waiting operation.
  std::optional<TimePoint> next_deadline() const;
  std::size_t size() const { return operations_.size(); }

 private:
  std::vector<Operation> operations_;  // in the order they came
  Ticket next_ticket_ = 1;
};

// The refusal of an operation on `wanted` that waited too long behind `holder`:
// "busy: a reload of web is in progress (started 2 s ago); retry".
std::string busy_message(const LifecycleQueue::Operation& holder, const AppScope& wanted,
                         TimePoint now);

}  // namespace cxpm
