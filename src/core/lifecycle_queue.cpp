#include "cxpm/core/lifecycle_queue.hpp"

#include <algorithm>

namespace cxpm {

bool AppScope::overlaps(const AppScope& other) const {
  if (every_app || other.every_app) return true;
  const auto& smaller = names.size() <= other.names.size() ? names : other.names;
  const auto& larger = names.size() <= other.names.size() ? other.names : names;
  return std::ranges::any_of(smaller, [&](const auto& name) { return larger.contains(name); });
}

std::string AppScope::describe() const {
  if (every_app) return "every app";
  std::string out;
  std::size_t left = names.size();
  for (const auto& name : names) {
    out += name;
    --left;
    if (left > 1) out += ", ";
    if (left == 1) out += " and ";
  }
  return out;
}

LifecycleQueue::Ticket LifecycleQueue::enqueue(std::string verb, AppScope scope, TimePoint now,
                                               TimePoint deadline) {
  const Ticket ticket = next_ticket_++;
  operations_.push_back({ticket, std::move(verb), std::move(scope), now, deadline, std::nullopt});
  return ticket;
}

std::vector<LifecycleQueue::Ticket> LifecycleQueue::start_ready(TimePoint now) {
  std::vector<Ticket> ready;
  for (std::size_t i = 0; i < operations_.size(); ++i) {
    Operation& candidate = operations_[i];
    if (candidate.running()) continue;
    const bool blocked =
        std::any_of(operations_.begin(), operations_.begin() + static_cast<long>(i),
                    [&](const Operation& ahead) { return ahead.scope.overlaps(candidate.scope); });
    if (blocked) continue;
    candidate.started_at = now;
    ready.push_back(candidate.ticket);
  }
  return ready;
}

void LifecycleQueue::finish(Ticket ticket) {
  std::erase_if(operations_,
                [&](const Operation& operation) { return operation.ticket == ticket; });
}

const LifecycleQueue::Operation* LifecycleQueue::find(Ticket ticket) const {
  for (const auto& operation : operations_) {
    if (operation.ticket == ticket) return &operation;
  }
  return nullptr;
}

bool LifecycleQueue::busy(const AppScope& scope) const {
  return std::ranges::any_of(
      operations_, [&](const Operation& operation) { return operation.scope.overlaps(scope); });
}

const LifecycleQueue::Operation* LifecycleQueue::holder_of(Ticket ticket) const {
  const Operation* waiting = find(ticket);
  if (!waiting || waiting->running()) return nullptr;
  const Operation* first_ahead = nullptr;
  for (const auto& ahead : operations_) {
    if (ahead.ticket == ticket) break;
    if (!ahead.scope.overlaps(waiting->scope)) continue;
    if (ahead.running()) return &ahead;
    if (!first_ahead) first_ahead = &ahead;
  }
  return first_ahead;
}

std::vector<LifecycleQueue::Ticket> LifecycleQueue::overdue(TimePoint now) const {
  std::vector<Ticket> late;
  for (const auto& operation : operations_) {
    if (!operation.running() && operation.deadline <= now) late.push_back(operation.ticket);
  }
  return late;
}

std::optional<TimePoint> LifecycleQueue::next_deadline() const {
  std::optional<TimePoint> earliest;
  for (const auto& operation : operations_) {
    if (operation.running()) continue;
    if (!earliest || operation.deadline < *earliest) earliest = operation.deadline;
  }
  return earliest;
}

std::string busy_message(const LifecycleQueue::Operation& holder, const AppScope& wanted,
                         TimePoint now) {
  // Name the apps both touch: "a reload of web", not every app the holder happens to touch.
  AppScope shared;
  if (holder.scope.every_app) {
    shared = wanted;
  } else if (wanted.every_app) {
    shared = holder.scope;
  } else {
    for (const auto& name : holder.scope.names) {
      if (wanted.names.contains(name)) shared.names.insert(name);
    }
  }
  const bool running = holder.running();
  const TimePoint since = running ? *holder.started_at : holder.queued_at;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - since).count();
  const char* article = holder.verb.find_first_of("aeiou") == 0 ? "an" : "a";
  return "busy: " + std::string(article) + " " + holder.verb + " of " + shared.describe() +
         (running ? " is in progress (started " : " is waiting ahead (queued ") +
         std::to_string(seconds) + " s ago); retry";
}

}  // namespace cxpm
