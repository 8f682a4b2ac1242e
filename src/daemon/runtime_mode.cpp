#include "cxpm/daemon/runtime_mode.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "cxpm/daemon/runtime_output.hpp"
#include "cxpm/daemon/saved_apps.hpp"

namespace cxpm {
namespace {

// The status an instance that ended gives the runtime, as a shell would report it.
int status_of(const Instance& instance, bool requested) {
  if (requested) return 0;
  if (instance.exit_signal) return 128 + *instance.exit_signal;
  const int code = instance.exit_code.value_or(0);
  if (code == 0 && instance.status == Status::kErrored) return 1;
  return code;
}

}  // namespace

RuntimeMode::RuntimeMode(uv_loop_t* loop, Supervisor& supervisor, RuntimeSettings settings,
                         std::function<void(const std::string& why)> end)
    : supervisor_(supervisor),
      settings_(std::move(settings)),
      end_(std::move(end)),
      check_timer_(loop) {
  supervisor_.log_hub().set_tap(make_runtime_printer(settings_.output));
  supervisor_.add_observer(this);
}

RuntimeMode::~RuntimeMode() {
  supervisor_.log_hub().set_tap({});
}

std::string RuntimeMode::start_apps() {
  const std::size_t given = settings_.apps.size();
  const ResurrectOutcome outcome = start_saved_apps(supervisor_, std::move(settings_.apps));
  settings_.apps.clear();
  if (!outcome.failed.empty() || (outcome.ids.empty() && given > 0)) {
    start_failed_ = true;
    end_("an app did not start");
    return "an app did not start";
  }
  check_soon();  // every app may be autostart: false, or have ended already
  return std::to_string(given - outcome.skipped.size()) + " app(s) started in the foreground";
}

void RuntimeMode::stopping() {
  if (ended_by_apps_ || stopping_) return;
  stopping_ = true;
  errored_at_stop_ = any_errored();
}

int RuntimeMode::exit_code() const {
  if (start_failed_) return 1;
  if (ended_by_apps_) return last_status_.value_or(0);
  return errored_at_stop_ ? 1 : 0;
}

void RuntimeMode::on_instance_exited(Instance& instance, bool requested) {
  // The status is final only once the supervisor has decided on a restart: read it then.
  check_timer_.stop();
  check_timer_.start(std::chrono::milliseconds(0), [this, id = instance.id, requested] {
    if (Instance* ended = supervisor_.find_instance(id)) {
      if (!is_running(ended->status) && ended->status != Status::kWaitingRestart) {
        last_status_ = status_of(*ended, requested);
      }
    }
    check();
  });
}

void RuntimeMode::on_app_removed(App&) {
  check_soon();
}

void RuntimeMode::check_soon() {
  if (check_timer_.active()) return;
  check_timer_.start(std::chrono::milliseconds(0), [this] { check(); });
}

void RuntimeMode::check() {
  if (!settings_.auto_exit || stopping_ || ended_by_apps_ || anything_left()) return;
  ended_by_apps_ = true;
  spdlog::info("runtime: no app is left to run; exiting with status {}", last_status_.value_or(0));
  end_("no app is left to run");
}

bool RuntimeMode::anything_left() const {
  for (const auto& app : supervisor_.apps()) {
    // cron_restart starts the app again at its next firing.
    if (!app->spec.cron_restart.empty()) return true;
    for (const auto& instance : app->instances) {
      if (instance->status != Status::kStopped && instance->status != Status::kErrored) {
        return true;
      }
    }
  }
  return false;
}

bool RuntimeMode::any_errored() const {
  for (const auto& app : supervisor_.apps()) {
    for (const auto& instance : app->instances) {
      if (instance->status == Status::kErrored) return true;
    }
  }
  return false;
}

}  // namespace cxpm
