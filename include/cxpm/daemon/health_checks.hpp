#pragma once
// Health checks (docs/health.md): every running instance of an app with health_http,
// health_tcp or health_exec is probed every health_interval (health_probe.hpp), at most
// kMaxInFlight probes at a time across the daemon (the rest wait their turn). The decisions
// are HealthTracker's (core/): the first pass makes a health_wait_ready instance ready;
// health_failures failures in a row restart it — in cluster mode replaced like a reload, so the
// slot keeps serving — when no other operation holds the app (LifecycleGate::run_if_idle; a
// busy app is tried again at its next failure). `ls` shows a failing instance as unhealthy.

#include <uv.h>

#include <deque>
#include <map>
#include <memory>

#include "cxpm/core/health_tracker.hpp"
#include "cxpm/daemon/lifecycle_gate.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

class HealthChecks final : public AppObserver {
 public:
  static constexpr int kMaxInFlight = 16;

  HealthChecks(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate);
  ~HealthChecks() override;

  void on_app_added(App& app) override;
  void on_instance_started(Instance& instance) override;
  void on_instance_exited(Instance& instance, bool requested) override;
  void on_app_removed(App& app) override;

 private:
  struct Checked {
    Checked(uv_loop_t* loop, HealthTracker tracker) : tracker(tracker), timer(loop) {
      timer.unref();
    }
    Instance* instance;
    pid_t pid = 0;  // with the pointer, tells a new instance at a freed address apart
    HealthTracker tracker;
    Timer timer;
    bool probing = false;
    bool queued = false;
  };

  void due(Instance* instance);
  void probe(Checked& checked);
  void result(Instance* instance, pid_t pid, std::optional<std::string> error);
  void act_on_unhealthy(Checked& checked);
  void start_waiting();
  Checked* find(Instance* instance, pid_t pid);

  uv_loop_t* loop_;
  Supervisor& supervisor_;
  LifecycleGate& gate_;
  std::map<Instance*, std::unique_ptr<Checked>> checked_;
  std::deque<Instance*> waiting_;  // due while kMaxInFlight probes ran
  int in_flight_ = 0;
  // Probes outlive this object (they own themselves): their reports check it is still there.
  std::shared_ptr<HealthChecks*> alive_ = std::make_shared<HealthChecks*>(this);
};

}  // namespace cxpm
