#pragma once
// A supervisor on a fake process runner and a hand-moved clock: a test starts apps, reports
// their exits and readiness, moves time, and reads what the supervisor asked of the OS.

#include <signal.h>
#include <spdlog/spdlog.h>
#include <uv.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cxpm/daemon/process_runner.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/timers.hpp"

namespace cxpm::testing {

// Timers that fire only when the test advances the clock, each at its own due time, in order.
class FakeTimers : public Timers {
 public:
  class Fake : public OneShotTimer {
   public:
    explicit Fake(FakeTimers& owner) : owner_(owner) { owner_.live_.insert(this); }
    ~Fake() override { owner_.live_.erase(this); }
    void start(Milliseconds delay, std::function<void()> callback) override {
      due_ = owner_.now_ + delay;
      order_ = owner_.next_order_++;
      callback_ = std::move(callback);
    }
    void stop() override {
      due_.reset();
      callback_ = nullptr;
    }

   private:
    friend class FakeTimers;
    FakeTimers& owner_;
    std::optional<TimePoint> due_;
    std::uint64_t order_ = 0;
    std::function<void()> callback_;
  };

  TimePoint now() const override { return now_; }
  std::unique_ptr<OneShotTimer> one_shot() override { return std::make_unique<Fake>(*this); }

  void advance(Milliseconds by) {
    const TimePoint until = now_ + by;
    while (Fake* next = soonest(until)) {
      now_ = *next->due_;
      next->due_.reset();
      auto callback = std::move(next->callback_);
      callback();  // may destroy `next` and arm or stop others
    }
    now_ = until;
  }

  // How long until the soonest armed timer fires; none when nothing is armed.
  std::optional<Milliseconds> next_due() const {
    const Fake* next = soonest(TimePoint::max());
    if (!next) return std::nullopt;
    return *next->due_ - now_;
  }

 private:
  Fake* soonest(TimePoint until) const {
    Fake* best = nullptr;
    for (Fake* timer : live_) {
      if (!timer->due_ || *timer->due_ > until) continue;
      if (!best || std::pair(*timer->due_, timer->order_) < std::pair(*best->due_, best->order_)) {
        best = timer;
      }
    }
    return best;
  }

  TimePoint now_{Milliseconds{1'000'000}};
  std::uint64_t next_order_ = 0;
  std::set<Fake*> live_;
};

struct SentSignal {
  pid_t target;  // negative: a process group
  int signal_number;
  bool operator==(const SentSignal&) const = default;
};

struct LaunchRecord {
  std::string app;
  int index;
  pid_t pid;  // -1 when it was made to fail
  std::vector<std::string> env;
};

// Records what the supervisor asks; processes "run" until the test reports their exit.
class FakeRunner : public ProcessRunner {
 public:
  const char* tracking() const override { return "fake"; }

  Launched launch(const std::string& app_name, int index, SpawnOptions options) override {
    Launched launched;
    if (fail_next_launch && launches_before_failure == 0) {
      launched.error = fail_next_launch->first;
      launched.error_number = fail_next_launch->second;
      fail_next_launch.reset();
    } else {
      if (launches_before_failure > 0) --launches_before_failure;
      launched.pid = next_pid++;
      launched.tag.token = "fake." + std::to_string(launched.pid);
    }
    launches.push_back({app_name, index, launched.pid, std::move(options.env)});
    return launched;
  }
  ProcessTree snapshot() override { return {}; }
  bool signal(pid_t target, int signal_number) override {
    signals.push_back({target, signal_number});
    return true;
  }
  void signal_outside_group(const SpawnTag&, pid_t, int, const std::vector<pid_t>&) override {}
  std::vector<pid_t> kill_all(const SpawnTag& tag) override {
    killed_all.push_back(tag.token);
    return {};
  }
  void look_under_keeper(pid_t keeper) override { keeper_pid = keeper; }
  std::vector<pid_t> kill_untracked(const std::vector<SpawnTag>& known) override {
    std::vector<pid_t> killed;
    for (const auto& [pid, token] : orphans) {
      const bool recorded =
          std::ranges::any_of(known, [&token](const SpawnTag& tag) { return tag.token == token; });
      if (!recorded) killed.push_back(pid);
    }
    untracked_killed.insert(untracked_killed.end(), killed.begin(), killed.end());
    return killed;
  }
  void when_gone(const std::vector<pid_t>&, Milliseconds, std::function<void()> done) override {
    done();
  }
  void retire(SpawnTag tag) override { retired.push_back(tag.token); }
  void reap(const ExitHandler& exited) override {
    while (!exits.empty()) {
      auto [pid, wait_status] = exits.front();
      exits.pop_front();
      exited(pid, wait_status);
    }
  }
  std::optional<ProcessStat> stat(pid_t pid) override {
    if (auto found = processes.find(pid); found != processes.end()) return found->second;
    return std::nullopt;
  }
  std::optional<std::uint64_t> cpu_ticks(const SpawnTag&) override { return std::nullopt; }
  std::optional<std::uint64_t> memory_bytes(const SpawnTag&) const override { return std::nullopt; }
  const char* memory_source() const override { return "rss"; }

  std::vector<LaunchRecord> launches;
  std::vector<SentSignal> signals;
  std::vector<std::string> killed_all;  // tokens of spawns killed whole
  std::vector<std::string> retired;
  std::map<pid_t, ProcessStat> processes;  // what /proc shows; launched ones are not in it
  std::map<pid_t, std::string> orphans;    // the keeper's children: pid → spawn token
  std::vector<pid_t> untracked_killed;
  pid_t keeper_pid = 0;
  std::deque<std::pair<pid_t, int>> exits;                      // told at the next reap
  std::optional<std::pair<std::string, int>> fail_next_launch;  // why, errno
  int launches_before_failure = 0;  // launches that still succeed before fail_next_launch
  pid_t next_pid = 1000;
};

inline AppSpec test_app(std::string name) {
  AppSpec spec;
  spec.name = std::move(name);
  spec.script = "server";
  spec.interpreter = "none";
  spec.cwd = "/";
  return spec;
}

class SupervisorHarness {
 public:
  explicit SupervisorHarness(Home home = Home{"/nonexistent-cxpm-home"}) {
    spdlog::set_level(spdlog::level::off);
    uv_loop_init(&loop_);
    auto runner = std::make_unique<FakeRunner>();
    auto timers = std::make_unique<FakeTimers>();
    runner_ = runner.get();
    clock_ = timers.get();
    supervisor_ =
        std::make_unique<Supervisor>(&loop_, std::move(home), std::move(runner), std::move(timers));
  }
  ~SupervisorHarness() {
    supervisor_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);  // runs the close callbacks of the handles it had
    uv_loop_close(&loop_);
  }
  SupervisorHarness(const SupervisorHarness&) = delete;
  SupervisorHarness& operator=(const SupervisorHarness&) = delete;

  Supervisor& supervisor() { return *supervisor_; }
  FakeRunner& runner() { return *runner_; }
  FakeTimers& clock() { return *clock_; }

  // Adds the app (started unless autostart is off) and returns its first instance.
  Instance& add(AppSpec spec) {
    const std::string name = spec.name;
    const auto error = supervisor_->add_app(std::move(spec));
    if (error) throw std::runtime_error("add_app: " + *error);
    return *supervisor_->find_app(name)->instances.front();
  }

  void exit_with_code(pid_t pid, int code) { report_exit(pid, (code & 0xff) << 8); }
  void exit_by_signal(pid_t pid, int signal_number) { report_exit(pid, signal_number); }

  void notify(pid_t pid, std::string field, std::string value) {
    supervisor_->on_notify(pid, {{std::move(field), std::move(value)}});
  }

  int launch_count() const { return static_cast<int>(runner_->launches.size()); }
  bool was_signalled(pid_t target, int signal_number) const {
    return std::ranges::find(runner_->signals, SentSignal{target, signal_number}) !=
           runner_->signals.end();
  }
  // Whether anything was sent to `pid` or its process group.
  bool was_signalled_at_all(pid_t pid) const {
    return std::ranges::any_of(runner_->signals, [pid](const SentSignal& sent) {
      return sent.target == pid || sent.target == -pid;
    });
  }
  static bool has_event(const Instance& instance, const std::string& part) {
    return std::ranges::any_of(instance.events, [&](const ProcessEvent& event) {
      return event.message.find(part) != std::string::npos;
    });
  }

 private:
  void report_exit(pid_t pid, int wait_status) {
    runner_->exits.emplace_back(pid, wait_status);
    supervisor_->reap();  // as SIGCHLD does
  }

  uv_loop_t loop_{};
  FakeRunner* runner_ = nullptr;
  FakeTimers* clock_ = nullptr;
  std::unique_ptr<Supervisor> supervisor_;
};

}  // namespace cxpm::testing
