#pragma once
// `cron_restart`: restart an app when its cron pattern fires. One timer per app, armed for
// the next firing (CronSchedule::next_after on the local wall clock) and re-armed after it.
//
// Every instance restarts, including ones that exited on their own and were not restarted
// (autorestart: false, stop_exit_codes): pm2 users run periodic jobs that way. Instances
// someone stopped with `cxpm stop` stay stopped.

#include <uv.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include "cxpm/daemon/lifecycle_gate.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

class CronRestarts final : public AppObserver {
 public:
  // Long waits are split so a wall clock that jumps (NTP, suspend) is noticed within this.
  static constexpr Milliseconds kLongestWait{10 * 60 * 1000};

  CronRestarts(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate);
  ~CronRestarts() override;

  void on_app_added(App& app) override;
  void on_app_removed(App& app) override;
  void on_instance_started(Instance& instance) override;
  void on_instance_exited(Instance& instance, bool requested) override;

 private:
  struct Schedule;

  void arm(Schedule& schedule);
  void fire(Schedule& schedule);
  void restart(const std::string& name, LifecycleGate::Hold hold);

  uv_loop_t* loop_;
  Supervisor& supervisor_;
  LifecycleGate& gate_;
  std::map<std::string, std::unique_ptr<Schedule>, std::less<>> schedules_;  // by app name
  std::set<int> stopped_on_request_;                                         // instance ids
};

}  // namespace cxpm
