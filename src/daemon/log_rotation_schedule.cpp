#include "cxpm/daemon/log_rotation_schedule.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "cxpm/config/cron.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/log_hub.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {
namespace {

int utc_offset_at(std::int64_t unix_seconds) {
  const std::time_t when = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (!::localtime_r(&when, &local)) return 0;
  return static_cast<int>(local.tm_gmtoff);
}

}  // namespace

struct LogRotationSchedules::Schedule {
  Schedule(uv_loop_t* loop, std::string app_name, CronSchedule cron)
      : name(std::move(app_name)), schedule(std::move(cron)), timer(loop) {
    timer.unref();  // a schedule never keeps the daemon alive by itself
  }

  std::string name;
  CronSchedule schedule;
  Timer timer;
  std::int64_t next_s = 0;  // unix seconds of the next firing
};

LogRotationSchedules::LogRotationSchedules(uv_loop_t* loop, Supervisor& supervisor)
    : loop_(loop), supervisor_(supervisor) {}

LogRotationSchedules::~LogRotationSchedules() = default;

void LogRotationSchedules::on_app_added(App& app) {
  if (app.spec.rotate_interval.empty()) return;
  std::string problem;
  auto cron = CronSchedule::parse(app.spec.rotate_interval, &problem);
  if (!cron) {
    // `start` checks patterns first (daemon_spec_problem); this is for a spec that slipped by.
    spdlog::error("{}: rotate_interval \"{}\" ignored: {}", app.spec.name, app.spec.rotate_interval,
                  problem);
    return;
  }
  auto schedule = std::make_unique<Schedule>(loop_, app.spec.name, std::move(*cron));
  const std::int64_t now_s = unix_now_ms() / 1000;
  schedule->next_s = schedule->schedule.next_after(now_s, utc_offset_at(now_s));
  arm(*schedule);
  schedules_[app.spec.name] = std::move(schedule);
}

void LogRotationSchedules::on_app_removed(App& app) {
  schedules_.erase(app.spec.name);
}

void LogRotationSchedules::arm(Schedule& schedule) {
  const std::int64_t wait_ms =
      std::clamp<std::int64_t>(schedule.next_s * 1000 - unix_now_ms(), 0, kLongestWait.count());
  schedule.timer.start(Milliseconds{wait_ms}, [this, &schedule] { fire(schedule); });
}

void LogRotationSchedules::fire(Schedule& schedule) {
  const std::int64_t now_ms = unix_now_ms();
  if (now_ms < schedule.next_s * 1000) return arm(schedule);  // a split wait, or woke early
  const std::int64_t after = std::max(schedule.next_s, now_ms / 1000);
  schedule.next_s = schedule.schedule.next_after(after, utc_offset_at(after));
  arm(schedule);
  rotate(schedule.name);
}

void LogRotationSchedules::rotate(const std::string& app_name) {
  App* app = supervisor_.find_app(app_name);
  if (!app) return;
  // Instances may share a file (merge_logs, log_file): each file rotates once.
  std::set<std::shared_ptr<LogFile>> files;
  LogFiles& open = supervisor_.log_hub().files();
  for (const auto& instance : app->instances) {
    for (const std::string& path :
         {supervisor_.out_log_path(*instance), supervisor_.error_log_path(*instance),
          supervisor_.combined_log_path(*instance)}) {
      if (auto file = open.find(path)) files.insert(std::move(file));
    }
  }
  for (const auto& file : files) file->rotate();
}

}  // namespace cxpm
