#pragma once
// `rotate_interval`: rotate an app's log files when a cron pattern fires (pm2-logrotate's
// users rotate daily), beside max_size. One timer per app, armed for the next firing on the
// local wall clock. The rotation is queued on each file like a size rotation (LogFile::rotate),
// so it happens at a line boundary, names the file the same way, and `retain` applies; an
// empty file is not rotated.

#include <uv.h>

#include <map>
#include <memory>
#include <string>

#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

class LogRotationSchedules final : public AppObserver {
 public:
  // Long waits are split so a wall clock that jumps (NTP, suspend) is noticed within this.
  static constexpr Milliseconds kLongestWait{10 * 60 * 1000};

  LogRotationSchedules(uv_loop_t* loop, Supervisor& supervisor);
  ~LogRotationSchedules() override;

  void on_app_added(App& app) override;
  void on_app_removed(App& app) override;

 private:
  struct Schedule;

  void arm(Schedule& schedule);
  void fire(Schedule& schedule);
  void rotate(const std::string& app_name);

  uv_loop_t* loop_;
  Supervisor& supervisor_;
  std::map<std::string, std::unique_ptr<Schedule>, std::less<>> schedules_;  // by app name
};

}  // namespace cxpm
