#pragma once
// The part of a `start` that waits (docs/dependencies.md): apps with `depends_on` were added
// stopped; each starts once every app it depends on meets its condition, or is not started
// when one fails (errored, exited, or itself not started) or its depends_timeout passes. The
// apps' states are looked at every kCheckEvery on the loop, since readiness comes from several
// places (sd_notify, Node's channel, a health check); nothing blocks, and only the start's own
// apps are held in the LifecycleGate while it waits. Each wait is recorded on the waiting
// app's instances (describe, daemon.log, `cxpm events`) when it begins and when it ends.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

struct StartSequenceOutcome {
  std::vector<std::string> notes;        // "c waited 1.2 s for b (ready)"
  std::vector<std::string> not_started;  // "c was not started: its dependency 'b' errored"
};

class StartSequence : public std::enable_shared_from_this<StartSequence> {
 public:
  static constexpr Milliseconds kCheckEvery{50};
  using Done = std::function<void(StartSequenceOutcome)>;

  // `waiting`: names of apps just added stopped, each to start once its dependencies allow.
  // `done` is called once, on the loop, when every one has started or been given up.
  static void run(Supervisor& supervisor, std::vector<std::string> waiting, Done done);

  StartSequence(Supervisor& supervisor, std::vector<std::string> waiting, Done done);

 private:
  struct Wait {
    std::string app;
    TimePoint since{};
    TimePoint deadline{};
    std::vector<bool> met;  // per dependency, once met it stays met
    enum class State { kWaiting, kStarted, kGivenUp } state = State::kWaiting;
    std::string outcome;  // kGivenUp: why
  };

  void begin();
  void check();
  // Moves the wait on when it can: started, given up, or still waiting (false).
  bool advance(Wait& wait);
  void give_up(Wait& wait, std::string why);
  void record(const std::string& app, const std::string& message, std::string_view kind = "info");
  Wait* wait_for(const std::string& app);

  Supervisor& supervisor_;
  std::vector<Wait> waits_;
  Done done_;
  Timer timer_;
  StartSequenceOutcome outcome_;
};

}  // namespace cxpm
