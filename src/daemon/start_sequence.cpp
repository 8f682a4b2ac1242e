#include "cxpm/daemon/start_sequence.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cxpm/daemon/dependency_wait.hpp"

namespace cxpm {
namespace {

std::string seconds(std::chrono::steady_clock::duration duration) {
  const double value = std::chrono::duration<double>(duration).count();
  return fmt::format("{:.1f} s", value);
}

// "b (ready), a (started)".
std::string conditions_text(const std::vector<Dependency>& dependencies) {
  std::string text;
  for (const auto& dependency : dependencies) {
    text += fmt::format("{}{} ({})", text.empty() ? "" : ", ", dependency.app,
                        to_string(dependency.condition));
  }
  return text;
}

}  // namespace

void StartSequence::run(Supervisor& supervisor, std::vector<std::string> waiting, Done done) {
  std::make_shared<StartSequence>(supervisor, std::move(waiting), std::move(done))->begin();
}

StartSequence::StartSequence(Supervisor& supervisor, std::vector<std::string> waiting, Done done)
    : supervisor_(supervisor), done_(std::move(done)), timer_(supervisor.loop()) {
  for (auto& name : waiting) waits_.push_back({.app = std::move(name)});
}

void StartSequence::begin() {
  const TimePoint now = supervisor_.now();
  for (Wait& wait : waits_) {
    const App* app = supervisor_.find_app(wait.app);
    if (!app) continue;
    wait.since = now;
    wait.deadline = now + app->spec.depends_timeout;
    wait.met.assign(app->spec.depends_on.size(), false);
    record(wait.app,
           fmt::format("waiting to start for {}, at most {}", conditions_text(app->spec.depends_on),
                       seconds(app->spec.depends_timeout)));
  }
  check();
}

void StartSequence::check() {
  const auto self = shared_from_this();  // done_ may drop the last other reference
  // Until nothing moves: a start or a give-up can settle the apps that wait on it at once.
  for (bool moved = true; moved;) {
    moved = false;
    for (Wait& wait : waits_) {
      if (wait.state == Wait::State::kWaiting && advance(wait)) moved = true;
    }
  }
  const bool settled = std::ranges::none_of(
      waits_, [](const Wait& wait) { return wait.state == Wait::State::kWaiting; });
  if (!settled) {
    timer_.start(kCheckEvery, [self] { self->check(); });
    return;
  }
  if (auto done = std::move(done_)) {
    done_ = nullptr;
    done(std::move(outcome_));
  }
}

bool StartSequence::advance(Wait& wait) {
  App* app = supervisor_.find_app(wait.app);
  if (!app) {
    give_up(wait, "it was deleted meanwhile");
    return true;
  }
  if (supervisor_.starting_stopped()) {
    give_up(wait, "the daemon is shutting down");
    return true;
  }
  const std::vector<Dependency>& dependencies = app->spec.depends_on;
  std::string waiting_for;  // the first condition not met, for a timeout's message
  for (std::size_t i = 0; i < dependencies.size() && i < wait.met.size(); ++i) {
    if (wait.met[i]) continue;
    const Dependency& dependency = dependencies[i];
    const std::string wanted =
        fmt::format("'{}' to be {}", dependency.app, to_string(dependency.condition));
    if (const Wait* other = wait_for(dependency.app);
        other && other->state != Wait::State::kStarted) {
      if (other->state == Wait::State::kGivenUp) {
        give_up(wait, fmt::format("its dependency '{}' was not started ({})", dependency.app,
                                  other->outcome));
        return true;
      }
      if (waiting_for.empty()) {
        waiting_for = wanted + fmt::format(" ({} waits for its own dependencies)", dependency.app);
      }
      continue;
    }
    const App* target = supervisor_.find_app(dependency.app);
    if (!target) {
      give_up(wait, fmt::format("its dependency '{}' was deleted", dependency.app));
      return true;
    }
    const ConditionState state = condition_state(*target, dependency.condition);
    if (state.kind == ConditionState::Kind::kMet) {
      wait.met[i] = true;
    } else if (state.kind == ConditionState::Kind::kFailed) {
      give_up(wait, fmt::format("its dependency '{}' {}", dependency.app, state.why));
      return true;
    } else if (waiting_for.empty()) {
      waiting_for = wanted + fmt::format(" (now {})", state.why);
    }
  }
  const TimePoint now = supervisor_.now();
  if (waiting_for.empty()) {
    std::vector<Instance*> instances;
    for (auto& instance : app->instances) instances.push_back(instance.get());
    const auto errors = supervisor_.start(instances);
    if (!errors.empty()) {
      give_up(wait, errors.front());
      return true;
    }
    wait.state = Wait::State::kStarted;
    const std::string waited = seconds(now - wait.since);
    record(wait.app,
           fmt::format("started: {} met after {}", conditions_text(dependencies), waited));
    outcome_.notes.push_back(
        fmt::format("{} waited {} for {}", wait.app, waited, conditions_text(dependencies)));
    return true;
  }
  if (now >= wait.deadline) {
    give_up(wait, fmt::format("waited {} (depends_timeout) for {}",
                              seconds(app->spec.depends_timeout), waiting_for));
    return true;
  }
  return false;
}

void StartSequence::give_up(Wait& wait, std::string why) {
  wait.state = Wait::State::kGivenUp;
  record(wait.app, "not started: " + why);
  outcome_.not_started.push_back(fmt::format("{} was not started: {}", wait.app, why));
  wait.outcome = std::move(why);
}

void StartSequence::record(const std::string& app_name, const std::string& message,
                           std::string_view kind) {
  App* app = supervisor_.find_app(app_name);
  if (!app) return;
  for (auto& instance : app->instances) supervisor_.record(*instance, message, kind);
}

StartSequence::Wait* StartSequence::wait_for(const std::string& app) {
  const auto found = std::ranges::find(waits_, app, &Wait::app);
  return found == waits_.end() ? nullptr : &*found;
}

}  // namespace cxpm
