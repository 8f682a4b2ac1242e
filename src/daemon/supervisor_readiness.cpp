// Readiness: a launching instance (wait_ready) becomes online on READY=1 or
// process.send('ready'), or when listen_timeout passes; whoever waits on it (a reload) is told.
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

void Supervisor::mark_ready(Instance& instance, const std::string& how) {
  if (instance.status != Status::kLaunching) return;
  instance.timer->stop();
  instance.status = Status::kOnline;
  record(instance, "ready (" + how + ") after " +
                       std::to_string((now() - instance.started_at).count()) + " ms");
  steer_in(instance);
  tell_ready_waiters(instance, true, {});
}

void Supervisor::readiness_timed_out(Instance& instance) {
  if (instance.status != Status::kLaunching) return;
  const std::string timeout = std::to_string(instance.app.spec.listen_timeout.count());
  if (!instance.on_ready.empty()) {
    // Someone (a reload) waits on this readiness: it decides what a late instance means.
    record(instance, "not ready within listen_timeout " + timeout + " ms");
    tell_ready_waiters(instance, false, "was not ready within listen_timeout " + timeout + " ms");
    return;
  }
  instance.status = Status::kOnline;
  record(instance, "no ready signal within listen_timeout " + timeout +
                       " ms; considered online, as pm2 does");
  steer_in(instance);
}

void Supervisor::tell_ready_waiters(Instance& instance, bool ready, const std::string& why) {
  auto waiters = std::move(instance.on_ready);
  instance.on_ready.clear();
  for (auto& waiter : waiters) waiter(ready, why);
}

Instance* Supervisor::instance_of_process(pid_t pid) {
  // The app itself, or a process it started (a shell wrapper's child, say).
  for (int depth = 0; pid > 1 && depth < 16; ++depth) {
    for (auto& app : apps_) {
      for (auto& instance : app->instances) {
        if (instance->pid == pid) return instance.get();
      }
    }
    auto stat = runner_->stat(pid);
    if (!stat) return nullptr;
    pid = stat->parent;
  }
  return nullptr;
}

void Supervisor::on_notify(pid_t sender, const NotifySocket::Fields& fields) {
  Instance* instance = instance_of_process(sender);
  if (!instance) return;  // not one of ours: ignored, like systemd's NotifyAccess=all
  if (auto status = fields.find("STATUS"); status != fields.end()) {
    instance->status_text = status->second;
  }
  if (auto stopping = fields.find("STOPPING");
      stopping != fields.end() && stopping->second == "1") {
    record(*instance, "the app says it is stopping (STOPPING=1)");
  }
  if (auto ready = fields.find("READY"); ready != fields.end() && ready->second == "1") {
    mark_ready(*instance, "READY=1");
  }
}

}  // namespace cxpm
