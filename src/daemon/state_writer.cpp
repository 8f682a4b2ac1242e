#include "cxpm/daemon/state_writer.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "cxpm/daemon/dump_file.hpp"
#include "cxpm/daemon/saved_apps.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {
namespace {

constexpr const char* kStateName = "state.json";
// A failing disk is logged at most this often (and when it recovers).
constexpr Milliseconds kLogEvery{60'000};

SavedInstance saved_instance(const Instance& instance, std::int64_t now_ms, TimePoint now) {
  SavedInstance saved;
  saved.id = instance.id;
  saved.index = instance.index;
  saved.pid = instance.pid;
  saved.start_ticks = instance.start_ticks;
  saved.status = instance.status;
  saved.restarts = instance.restarts;
  saved.started_at_ms =
      now_ms - std::chrono::duration_cast<Milliseconds>(now - instance.started_at).count();
  saved.exit_code = instance.exit_code;
  saved.exit_signal = instance.exit_signal;
  saved.spawn_token = instance.spawn_tag.token;
  saved.spawn_cgroup = instance.spawn_tag.cgroup;
  saved.socket_generation = instance.socket_generation;
  saved.events.assign(instance.events.begin(), instance.events.end());
  return saved;
}

}  // namespace

SavedState snapshot_state(const Supervisor& supervisor) {
  SavedState state;
  state.written_at_ms = unix_now_ms();
  state.written_by = std::string("cxpm ") + CXPM_VERSION;
  state.next_id = supervisor.next_id();
  state.boot_id = read_boot_id();
  const TimePoint now = supervisor.now();
  for (const auto& app : supervisor.apps()) {
    SavedApp saved{app->spec, app->created_at_ms, {}};
    for (const auto& instance : app->instances) {
      // A reload's replacement not started yet has no life of its own to keep.
      if (instance->pid == 0 && instance->status == Status::kStopped && instance->events.empty()) {
        continue;
      }
      saved.instances.push_back(saved_instance(*instance, state.written_at_ms, now));
    }
    state.apps.push_back(std::move(saved));
  }
  state.socket_groups = supervisor.socket_groups();
  return state;
}

StateWriter::StateWriter(Supervisor& supervisor) : supervisor_(supervisor) {
  uv_timer_init(supervisor_.loop(), timer_.get());
  timer_.mark_initialized();
  timer_.get()->data = this;
  for (const auto& name : sweep_temporary_files(supervisor_.home(), kStateName)) {
    spdlog::info("removed {}, left by a daemon that died while writing it", name);
  }
}

StateWriter::~StateWriter() {
  *alive_ = false;
  std::lock_guard lock(shared_->writing);  // a write under way ends first
  shared_->discarded = true;
  if (handed_over_) return;
  bool running = false;
  for (const auto& app : supervisor_.apps()) {
    for (const auto& instance : app->instances) running = running || instance->pid > 0;
  }
  const Home& home = supervisor_.home();
  try {
    if (running) {
      replace_home_file(home, kStateName, state_to_text(snapshot_state(supervisor_)));
    } else {
      ::unlink((home.dir + "/" + kStateName).c_str());
    }
  } catch (const std::exception& error) {
    spdlog::error("state.json: {}", error.what());
  }
}

void StateWriter::changed() {
  dirty_ = true;
  if (scheduled_ || in_flight_) return;
  scheduled_ = true;
  // On the next turn of the loop: a command that changes 1,000 instances is one write.
  uv_timer_start(
      timer_.get(), [](uv_timer_t* timer) { static_cast<StateWriter*>(timer->data)->begin(); }, 0,
      0);
}

void StateWriter::begin() {
  scheduled_ = false;
  dirty_ = false;
  in_flight_ = true;
  // The copy is taken here, where the table lives; its text (ten times the copy's cost for
  // 1,000 apps) is made on the thread pool with the write.
  auto state = std::make_shared<SavedState>(snapshot_state(supervisor_));
  run_off_loop(
      supervisor_.loop(),
      [home = supervisor_.home(), state, shared = shared_, number = ++snapshots_] {
        const std::string text = state_to_text(*state);
        std::lock_guard lock(shared->writing);
        // The daemon ended meanwhile and has decided, or flush_now wrote a newer table.
        if (shared->discarded || shared->written > number) return;
        replace_home_file(home, kStateName, text);
        shared->written = number;
      },
      [this, alive = alive_](const std::string& error) {
        if (*alive) finished(error);
      });
}

void StateWriter::finished(const std::string& error) {
  in_flight_ = false;
  const TimePoint now = steady_now();
  if (error.empty()) {
    ++writes_;
    if (!problem_.empty()) spdlog::info("state.json is written again");
    problem_.clear();
  } else {
    if (problem_.empty() || now - logged_at_ >= kLogEvery) {
      spdlog::error("cannot write state.json: {}; the last good one is kept", error);
      logged_at_ = now;
    }
    problem_ = "the app table could not be saved to " + supervisor_.home().dir + "/state.json (" +
               error + "); a restarted daemon would find it as it was";
  }
  // Changes made meanwhile (or the retry of a failed write) go in the next one.
  if (dirty_ || !error.empty()) {
    if (!error.empty()) dirty_ = true;
    scheduled_ = true;
    uv_timer_start(
        timer_.get(), [](uv_timer_t* timer) { static_cast<StateWriter*>(timer->data)->begin(); },
        error.empty() ? 0 : 1000, 0);
  }
}

std::string StateWriter::flush_now() {
  std::lock_guard lock(shared_->writing);
  handed_over_ = true;
  try {
    replace_home_file(supervisor_.home(), kStateName, state_to_text(snapshot_state(supervisor_)));
    shared_->written = ++snapshots_;
    problem_.clear();
    ++writes_;
    return {};
  } catch (const std::exception& error) {
    spdlog::error("cannot write state.json: {}", error.what());
    return error.what();
  }
}

}  // namespace cxpm
