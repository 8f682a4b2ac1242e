#include "cxpm/daemon/lifecycle_gate.hpp"

#include <map>

#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/protocol/replies.hpp"

namespace cxpm {
namespace {}  // namespace

struct LifecycleGate::State : std::enable_shared_from_this<State> {
  explicit State(uv_loop_t* loop) : deadline_timer(loop) {
    // A waiting operation always waits on a running one, which keeps the loop alive itself.
    deadline_timer.unref();
  }

  struct Waiting {
    Run run;
    Refuse refuse;
  };

  void pump();
  void refuse_overdue();
  void arm();

  LifecycleQueue queue;
  std::map<LifecycleQueue::Ticket, Waiting> waiting;
  Timer deadline_timer;
  std::string closed_because;
  bool pumping = false;
  bool pump_again = false;
};

struct LifecycleGate::Slot {
  Slot(std::weak_ptr<State> owner, LifecycleQueue::Ticket held)
      : state(std::move(owner)), ticket(held) {}
  ~Slot() { release(); }

  void release() {
    if (released) return;
    released = true;
    if (auto owner = state.lock()) {
      owner->queue.finish(ticket);
      owner->pump();
    }
  }

  std::weak_ptr<State> state;
  LifecycleQueue::Ticket ticket;
  bool released = false;
};

void LifecycleGate::Hold::release() const {
  if (slot_) slot_->release();
}

void LifecycleGate::State::pump() {
  // An operation that finishes at once releases from inside its run: loop here rather than
  // recurse once per queued operation.
  if (pumping) {
    pump_again = true;
    return;
  }
  auto self = shared_from_this();
  pumping = true;
  do {
    pump_again = false;
    for (const auto ticket : queue.start_ready(steady_now())) {
      auto found = waiting.find(ticket);
      if (found == waiting.end()) {
        queue.finish(ticket);  // nothing to run: never leave its apps held
        continue;
      }
      Run run = std::move(found->second.run);
      waiting.erase(found);
      run(Hold(std::make_shared<Slot>(weak_from_this(), ticket)));
    }
  } while (pump_again);
  pumping = false;
  arm();
}

void LifecycleGate::State::refuse_overdue() {
  auto self = shared_from_this();
  const TimePoint now = steady_now();
  for (const auto ticket : queue.overdue(now)) {
    auto found = waiting.find(ticket);
    const auto* operation = queue.find(ticket);
    const auto* holder = queue.holder_of(ticket);
    if (found == waiting.end() || !operation || !holder) continue;
    const std::string message = busy_message(*holder, operation->scope, now);
    const BusyDetails details{
        holder->verb, holder->scope.every_app,
        std::vector<std::string>(holder->scope.names.begin(), holder->scope.names.end()),
        holder->running(),
        (now - (holder->running() ? *holder->started_at : holder->queued_at)).count()};
    Refuse refuse = std::move(found->second.refuse);
    waiting.erase(found);
    queue.finish(ticket);
    refuse(error_code::kBusy, message, to_json(details));
  }
  pump();  // a refused operation may have been all that blocked a later one
}

void LifecycleGate::State::arm() {
  const auto deadline = queue.next_deadline();
  if (!deadline) return deadline_timer.stop();
  const auto delay = std::max(Milliseconds{0}, *deadline - steady_now());
  deadline_timer.start(delay, [this] { refuse_overdue(); });
}

LifecycleGate::LifecycleGate(uv_loop_t* loop) : state_(std::make_shared<State>(loop)) {}

LifecycleGate::~LifecycleGate() = default;

void LifecycleGate::submit(std::string verb, AppScope scope, Milliseconds max_wait, Run run,
                           Refuse refuse) {
  if (!state_->closed_because.empty()) {
    return refuse(error_code::kFailed, state_->closed_because, nullptr);
  }
  const TimePoint now = steady_now();
  const auto ticket = state_->queue.enqueue(std::move(verb), std::move(scope), now, now + max_wait);
  state_->waiting.emplace(ticket, State::Waiting{std::move(run), std::move(refuse)});
  state_->pump();
}

bool LifecycleGate::run_if_idle(std::string verb, AppScope scope, const Run& run) {
  if (!state_->closed_because.empty() || state_->queue.busy(scope)) return false;
  submit(std::move(verb), std::move(scope), Milliseconds{0}, run,
         [](std::string_view, const std::string&, Json) {});
  return true;
}

void LifecycleGate::close(const std::string& why) {
  state_->closed_because = why;
  auto waiting = std::move(state_->waiting);
  state_->waiting.clear();
  for (auto& [ticket, operation] : waiting) {
    state_->queue.finish(ticket);
    operation.refuse(error_code::kFailed, why, nullptr);
  }
  state_->deadline_timer.stop();
}

}  // namespace cxpm
