#pragma once
// The daemon as a container's main process (`cxpm-runtime`, `cxpm start --no-daemon`): it
// starts the apps it was given, prints their output on its own stdout and stderr
// (runtime_output.hpp), and decides when and how the runtime ends:
//   - SIGTERM or SIGINT (the daemon's own handling): every app stops gracefully (kill_signal,
//     then SIGKILL after kill_timeout); the exit code is 1 if an app had ended errored, else 0;
//   - the last app ended for good (every instance stopped or errored, none waiting to restart,
//     no cron_restart that would start it again): the runtime exits with the status of the
//     instance that ended last (its exit code; 128 + the signal that killed it; 1 when it was
//     errored with code 0; 0 when it was stopped on request), unless auto_exit is off;
//   - no app could be started: exit code 1.
// As PID 1 the daemon already reaps every process that re-parents to it (supervisor.reap).

#include <uv.h>

#include <functional>
#include <optional>
#include <string>

#include "cxpm/config/runtime_settings.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

class RuntimeMode final : public AppObserver {
 public:
  // `end` asks the daemon to stop every app and exit (as SIGTERM does), saying why.
  RuntimeMode(uv_loop_t* loop, Supervisor& supervisor, RuntimeSettings settings,
              std::function<void(const std::string& why)> end);
  ~RuntimeMode() override;
  RuntimeMode(const RuntimeMode&) = delete;
  RuntimeMode& operator=(const RuntimeMode&) = delete;

  // Starts the apps; the daemon's status line. Ends the runtime when none could start.
  std::string start_apps();
  // The daemon stops every app (SIGTERM, SIGINT, `cxpm kill`): what ended errored so far
  // decides the exit code.
  void stopping();
  // What the runtime exits with, once the daemon has stopped.
  int exit_code() const;

  void on_instance_exited(Instance& instance, bool requested) override;
  void on_app_removed(App& app) override;

 private:
  // After the supervisor has decided what follows an exit (restart or not).
  void check_soon();
  void check();
  bool anything_left() const;
  bool any_errored() const;

  Supervisor& supervisor_;
  RuntimeSettings settings_;
  std::function<void(const std::string&)> end_;
  Timer check_timer_;
  std::optional<int> last_status_;  // of the instance that ended last
  bool stopping_ = false;
  bool errored_at_stop_ = false;
  bool ended_by_apps_ = false;  // the last app ended: exit with its status
  bool start_failed_ = false;
};

}  // namespace cxpm
