#include "cxpm/daemon/cron_restart.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include "cxpm/config/cron.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {
namespace {

// Seconds east of UTC of the local wall clock at `unix_seconds`.
int utc_offset_at(std::int64_t unix_seconds) {
  const std::time_t when = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (!::localtime_r(&when, &local)) return 0;
  return static_cast<int>(local.tm_gmtoff);
}

}  // namespace

struct CronRestarts::Schedule {
  Schedule(uv_loop_t* loop, std::string app_name, std::string cron_pattern, CronSchedule cron)
      : name(std::move(app_name)),
        pattern(std::move(cron_pattern)),
        schedule(std::move(cron)),
        timer(loop) {
    timer.unref();  // a schedule never keeps the daemon alive by itself
  }

  std::string name;
  std::string pattern;
  CronSchedule schedule;
  Timer timer;
  std::int64_t next_s = 0;  // unix seconds of the next firing
  bool restarting = false;
};

CronRestarts::CronRestarts(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate)
    : loop_(loop), supervisor_(supervisor), gate_(gate) {}

CronRestarts::~CronRestarts() = default;

void CronRestarts::on_app_added(App& app) {
  if (app.spec.cron_restart.empty()) return;
  std::string problem;
  auto cron = CronSchedule::parse(app.spec.cron_restart, &problem);
  if (!cron) {
    // The CLI and `start` check patterns first; this is for a spec that slipped past them.
    spdlog::error("{}: cron_restart \"{}\" ignored: {}", app.spec.name, app.spec.cron_restart,
                  problem);
    return;
  }
  auto schedule =
      std::make_unique<Schedule>(loop_, app.spec.name, app.spec.cron_restart, std::move(*cron));
  const std::int64_t now_s = unix_now_ms() / 1000;
  schedule->next_s = schedule->schedule.next_after(now_s, utc_offset_at(now_s));
  arm(*schedule);
  schedules_[app.spec.name] = std::move(schedule);
}

void CronRestarts::on_app_removed(App& app) {
  schedules_.erase(app.spec.name);
  for (auto& instance : app.instances) stopped_on_request_.erase(instance->id);
}

void CronRestarts::on_instance_started(Instance& instance) {
  stopped_on_request_.erase(instance.id);
}

void CronRestarts::on_instance_exited(Instance& instance, bool requested) {
  if (requested) {
    stopped_on_request_.insert(instance.id);
  } else {
    stopped_on_request_.erase(instance.id);
  }
}

void CronRestarts::arm(Schedule& schedule) {
  const std::int64_t wait_ms =
      std::clamp<std::int64_t>(schedule.next_s * 1000 - unix_now_ms(), 0, kLongestWait.count());
  schedule.timer.start(Milliseconds{wait_ms}, [this, &schedule] { fire(schedule); });
}

void CronRestarts::fire(Schedule& schedule) {
  const std::int64_t now_ms = unix_now_ms();
  if (now_ms < schedule.next_s * 1000) return arm(schedule);  // a split wait, or woke early

  const std::int64_t after = std::max(schedule.next_s, now_ms / 1000);
  schedule.next_s = schedule.schedule.next_after(after, utc_offset_at(after));
  arm(schedule);

  // A restart still under way (an app slow to stop), or another operation on the app (a
  // deploy, an operator's stop), absorbs this firing.
  if (!supervisor_.find_app(schedule.name) || schedule.restarting) return;
  const bool ran = gate_.run_if_idle(
      "cron restart", AppScope::of({schedule.name}),
      [this, name = schedule.name](LifecycleGate::Hold hold) { restart(name, std::move(hold)); });
  if (!ran) {
    spdlog::info("{}: cron_restart skipped: another operation holds the app", schedule.name);
  }
}

void CronRestarts::restart(const std::string& name, LifecycleGate::Hold hold) {
  auto found = schedules_.find(name);
  App* app = supervisor_.find_app(name);
  if (found == schedules_.end() || !app) return;
  Schedule& schedule = *found->second;
  std::vector<Instance*> instances;
  for (auto& instance : app->instances) {
    if (instance->status == Status::kStopping) continue;
    if (stopped_on_request_.contains(instance->id)) continue;
    instances.push_back(instance.get());
  }
  if (instances.empty()) return;
  for (auto* instance : instances) {
    supervisor_.record(*instance, "cron_restart \"" + schedule.pattern + "\": restarting",
                       "restart");
  }
  schedule.restarting = true;
  supervisor_.restart(instances, [this, name, hold = std::move(hold)] {
    hold.release();
    // The app may have been deleted or given a new spec meanwhile.
    if (auto found = schedules_.find(name); found != schedules_.end()) {
      found->second->restarting = false;
    }
  });
}

}  // namespace cxpm
