// Exits: a reaped process's leftovers are killed and its last lines written before the exit is
// reported; then the restart policy decides (restart now, after a delay, stop, or give up).
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>

#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {
namespace {

// How long an exit waits for its last lines to reach a stuck disk before it is reported.
constexpr Milliseconds kExitLogWait{5000};
// How long an exit waits for the processes its app left behind to die once killed.
constexpr Milliseconds kLeftoverWait{2000};

std::string describe_exit(const Exit& exit) {
  // Neither: the process ended while no daemon ran, and nobody saw how (adoption).
  if (!exit.signal && !exit.exit_code) return "exited while no daemon ran";
  if (exit.signal) return "killed by " + signal_name(*exit.signal);
  return "exited with code " + std::to_string(exit.exit_code.value_or(0));
}

}  // namespace

void Supervisor::reap() {
  runner_->reap([this](pid_t pid, int wait_status) { process_exited(pid, wait_status); });
}

void Supervisor::watch_helper(pid_t pid, std::function<void(int wait_status)> exited) {
  helpers_[pid] = std::move(exited);
}

void Supervisor::process_exited(pid_t pid, int wait_status) {
  if (const auto helper = helpers_.find(pid); helper != helpers_.end()) {
    auto exited = std::move(helper->second);
    helpers_.erase(helper);
    return exited(wait_status);
  }
  Instance* exited = nullptr;
  for (auto& app : apps_) {
    for (auto& instance : app->instances) {
      if (instance->pid == pid) exited = instance.get();
    }
  }
  // Unknown pids are an app's orphans, re-parented to us as the subreaper: reaped, no more.
  if (exited) handle_exit(*exited, wait_status);
}

void Supervisor::handle_exit(Instance& instance, int wait_status) {
  // New connections go to the other workers at once, not to a queue nobody reads; those
  // already queued on its sockets wait there for its replacement.
  steer_out({&instance});
  instance.drain.reset();  // gone: a drain ending now must not signal a pid that may be reused
  // What the app left running dies first, and is gone before the exit is reported: a restart
  // must find the app's port free.
  const std::vector<pid_t> leftovers = kill_leftovers(instance);
  if (!leftovers.empty()) {
    return runner_->when_gone(leftovers, kLeftoverWait, [this, id = instance.id, wait_status] {
      if (auto* exited = find_instance(id)) finish_after_output(*exited, wait_status);
    });
  }
  finish_after_output(instance, wait_status);
}

void Supervisor::finish_after_output(Instance& instance, int wait_status) {
  if (instance.output) {
    // The exit is reported once the last lines are in the files (written off the loop).
    auto output = std::move(instance.output);
    output->drain_and_close(kExitLogWait,
                            [this, id = instance.id, pid = instance.pid, wait_status] {
                              // The pid too: a reload's replacement may have taken over the id
                              // meanwhile.
                              auto* exited = find_instance(id);
                              if (exited && exited->pid == pid) finish_exit(*exited, wait_status);
                            });
    return;
  }
  finish_exit(instance, wait_status);
}

void Supervisor::finish_exit(Instance& instance, int wait_status) {
  instance.broker.reset();
  instance.channel.reset();
  instance.drain.reset();
  Exit exit{std::nullopt, std::nullopt, instance.started_at, now()};
  if (WIFEXITED(wait_status)) exit.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) exit.signal = WTERMSIG(wait_status);
  instance.exit_code = exit.exit_code;
  instance.exit_signal = exit.signal;
  instance.timer->stop();
  runner_->retire(std::move(instance.spawn_tag));
  instance.spawn_tag = {};
  for (const char* kind : {"out/", "err/", "broker/", "node/"}) {
    kept_->forget(kind + std::to_string(instance.pid));
  }
  notify_.forget(instance.pid);
  instance.pid = 0;
  for (auto* observer : observers_) {
    observer->on_instance_exited(instance, instance.status == Status::kStopping);
  }

  // Taken now: a waiter told below may remove the instance, so nothing touches it after.
  auto exit_waiters = std::move(instance.on_exit);
  instance.on_exit.clear();
  if (instance.status == Status::kStopping) {
    instance.status = Status::kStopped;
    record(instance, "stopped: " + describe_exit(exit));
    // A replacement stopped before it was ready (kill, SIGTERM): its reload is told.
    tell_ready_waiters(instance, false, "was stopped before it was ready");
  } else if (!instance.on_ready.empty()) {
    // A replacement that dies before it is ready is not restarted: its reload gives up, and
    // removes it.
    instance.status = Status::kErrored;
    record(instance, describe_exit(exit) + " before it was ready");
    tell_ready_waiters(instance, false, describe_exit(exit) + " before it was ready");
  } else {
    after_unplanned_exit(instance, exit);
  }
  for (auto& waiter : exit_waiters) waiter();
}

void Supervisor::after_unplanned_exit(Instance& instance, const Exit& exit) {
  const RestartDecision decision = instance.policy.on_exit(exit);
  switch (decision.action) {
    case RestartDecision::Action::kStop:
      instance.status = Status::kStopped;
      record(instance, decision.reason);
      return;
    case RestartDecision::Action::kGiveUp:
      instance.status = Status::kErrored;
      record(instance, "errored: " + decision.reason,
             decision.budget_spent ? "restart_budget_exceeded" : "errored");
      return;
    case RestartDecision::Action::kRestart:
      break;
  }
  instance.restarts++;
  if (decision.delay.count() == 0) {
    record(instance, describe_exit(exit) + "; restarting", "crash");
    spawn(instance);
    return;
  }
  instance.status = Status::kWaitingRestart;
  record(instance,
         describe_exit(exit) + "; restarting in " + std::to_string(decision.delay.count()) + " ms",
         "crash");
  instance.timer->start(decision.delay, [this, &instance] { spawn(instance); });
}

std::vector<pid_t> Supervisor::kill_leftovers(Instance& instance) {
  if (!instance.app.spec.treekill) return {};
  // The process group outlives its leader while members remain, and daemonized processes
  // left it: none must keep the app's ports and files after it exited.
  std::vector<pid_t> killed = runner_->kill_all(instance.spawn_tag);  // the group's too
  runner_->signal(-instance.pid, SIGKILL);
  for (pid_t child : instance.escaped_children) {
    if (runner_->signal(child, SIGKILL)) killed.push_back(child);
  }
  instance.escaped_children.clear();
  std::erase(killed, instance.pid);  // the leader is gone already (reaped)
  return killed;
}

}  // namespace cxpm
