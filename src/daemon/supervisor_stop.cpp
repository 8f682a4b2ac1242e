// Stopping: kill_signal (or the shutdown message) to the instance's processes, then SIGKILL
// once kill_timeout has passed; whoever asked is told when the process is gone. A cluster
// worker whose connections can go to others drains first (supervisor_steering.cpp).
#include <signal.h>

#include <algorithm>
#include <memory>

#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

void Supervisor::stop(const std::vector<Instance*>& instances, Done done) {
  auto remaining = std::make_shared<std::size_t>(instances.size());
  auto shared_done = std::make_shared<Done>(std::move(done));
  if (instances.empty()) return (*shared_done)();
  const bool any_running = std::ranges::any_of(
      instances, [](const Instance* instance) { return is_running(instance->status); });
  const ProcessTree tree = any_running ? runner_->snapshot() : ProcessTree{};
  // Out of steering together, so that none drains toward another that is going too.
  steer_out(instances);
  for (auto* instance : instances) {
    stop_one(
        *instance,
        [remaining, shared_done] {
          if (--*remaining == 0) (*shared_done)();
        },
        tree);
  }
}

void Supervisor::stop_one(Instance& instance, Done done, const ProcessTree& tree) {
  switch (instance.status) {
    case Status::kStopped:
    case Status::kErrored:
      return done();
    case Status::kWaitingRestart:
      instance.timer->stop();
      instance.status = Status::kStopped;
      record(instance, "stopped (was waiting to restart)");
      return done();
    case Status::kStopping:
      instance.on_exit.push_back(std::move(done));
      if (instance.drain) {  // asked again while draining: stop now
        record(instance, "stopping without waiting for the drain to end");
        instance.drain.reset();
        send_stop_signal(instance, tree);
      }
      return;
    case Status::kLaunching:
    case Status::kOnline:
    case Status::kUnhealthy:  // only shown, never held
      break;
  }
  const bool drains = can_drain(instance);
  instance.status = Status::kStopping;
  instance.on_exit.push_back(std::move(done));
  if (drains) return begin_drain(instance);
  send_stop_signal(instance, tree);
}

void Supervisor::send_stop_signal(Instance& instance, const ProcessTree& tree) {
  if (instance.pid <= 0) return;
  const AppSpec& spec = instance.app.spec;
  // Every spec here came through app_spec_from_json, which accepts only the signals of the one
  // table (core/signal_names): the signal the user named is the one sent, never a fallback.
  const int signal_number = signal_from_name(spec.kill_signal).value();
  if (spec.shutdown_with_message && instance.channel) {
    instance.channel->send("shutdown");
    record(instance, "stopping: sent the 'shutdown' message");
  } else if (spec.treekill) {
    // Children that left the app's process group (setsid, setpgid) are found by parentage now,
    // while they still have their parents.
    for (const auto& child : tree.descendants_of(instance.pid)) {
      if (child.group != instance.pid) instance.escaped_children.push_back(child.pid);
    }
    runner_->signal(-instance.pid, signal_number);
    for (pid_t child : instance.escaped_children) runner_->signal(child, signal_number);
    // And those no longer below it (daemonized: re-parented to us), found by their tag.
    runner_->signal_outside_group(instance.spawn_tag, instance.pid, signal_number,
                                  instance.escaped_children);
  } else {
    runner_->signal(instance.pid, signal_number);
  }
  if (!spec.shutdown_with_message || !instance.channel) {
    record(instance, "stopping: sent " + signal_name(signal_number));
  }
  instance.timer->start(spec.kill_timeout, [this, &instance] {
    record(instance, "still running after kill_timeout " +
                         std::to_string(instance.app.spec.kill_timeout.count()) +
                         " ms: sending SIGKILL");
    runner_->signal(instance.app.spec.treekill ? -instance.pid : instance.pid, SIGKILL);
    for (pid_t child : instance.escaped_children) runner_->signal(child, SIGKILL);
    if (!instance.app.spec.treekill) return;
    runner_->kill_all(instance.spawn_tag);
    if (const Milliseconds retry = instance.app.spec.kill_retry_time; retry.count() > 0) {
      kill_again_every(retry, instance, /*noted=*/false);
    }
  });
}

// kill_retry_time: once kill_timeout's SIGKILL is sent, the instance's processes still there
// (by its cgroup or tag: forked between sweeps, not yet gone) get SIGKILL again every
// `interval` until the exit is reported, which stops the timer (the instance's own).
void Supervisor::kill_again_every(Milliseconds interval, Instance& instance, bool noted) {
  instance.timer->start(interval, [this, interval, &instance, noted] {
    const bool found = !runner_->kill_all(instance.spawn_tag).empty();
    if (found && !noted) {
      record(instance, "process(es) still there after SIGKILL: sending SIGKILL again every " +
                           std::to_string(interval.count()) + " ms until gone");
    }
    kill_again_every(interval, instance, noted || found);
  });
}

}  // namespace cxpm
