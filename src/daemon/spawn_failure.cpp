// What a failed spawn leaves: an errored instance, or — when the failure is a shortage that
// passes (descriptors, process slots, memory) — one waiting to try again.
#include <cerrno>

#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {
namespace {

bool is_passing_shortage(int error_number) {
  return error_number == EMFILE || error_number == ENFILE || error_number == EAGAIN ||
         error_number == ENOMEM;
}

}  // namespace

bool Supervisor::spawn_failed(Instance& instance, const std::string& why, int error_number) {
  if (!is_passing_shortage(error_number)) {
    instance.status = Status::kErrored;
    record(instance, "failed to start: " + why);
    return false;
  }
  // Not the app's fault, so not a crash the restart policy counts: retried as long as it
  // lasts. A stop (or delete) ends the wait like any restart delay.
  const Milliseconds delay = instance.spawn_retry.next(instance.app.spec.restart_delay);
  instance.status = Status::kWaitingRestart;
  record(instance, "failed to start: " + why + " (a passing shortage; retrying in " +
                       std::to_string(delay.count()) + " ms)");
  // The timer is the instance's own: it cannot fire once the instance is gone.
  instance.timer->start(delay, [this, &instance] { spawn(instance); });
  return false;
}

}  // namespace cxpm
