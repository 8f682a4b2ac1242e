// Adoption: the app table an earlier daemon recorded (state.json), rebuilt with the same ids,
// indexes, counters and history, and its processes taken over. A recorded process is adopted
// only when its pid still names the same process (same /proc start time): a pid used again by
// another program is never signalled. One that is gone is restarted by its restart policy, as
// after any unplanned exit, once what it wrote while no daemon ran is in its logs.
#include <fmt/ranges.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/protocol/saved_state.hpp"

namespace cxpm {
namespace {

// How long the last lines of a process that exited unseen may take to reach a stuck disk.
constexpr Milliseconds kVanishedLogWait{5000};
// After kill_timeout's SIGKILL, how long the process is given to go.
constexpr Milliseconds kKillWait{2000};

std::string key(const char* kind, pid_t pid) {
  return std::string(kind) + "/" + std::to_string(pid);
}

}  // namespace

void Supervisor::adopt(SavedApp saved, int next_id, bool same_boot) {
  auto app = std::make_unique<App>();
  app->spec = std::move(saved.spec);
  app->created_at_ms = saved.created_at_ms;
  const std::int64_t now_ms = unix_now_ms();
  for (const auto& recorded : saved.instances) {
    auto instance = std::make_unique<Instance>(*timers_, *app, recorded.id, recorded.index);
    instance->policy = RestartPolicy(restart_settings(app->spec));
    instance->restarts = recorded.restarts;
    instance->socket_generation = recorded.socket_generation;
    instance->status = recorded.status;
    instance->exit_code = recorded.exit_code;
    instance->exit_signal = recorded.exit_signal;
    // Uptime goes on from the recorded start, on this daemon's clock.
    instance->started_at =
        now() - Milliseconds{std::max<std::int64_t>(0, now_ms - recorded.started_at_ms)};
    instance->events = decltype(instance->events)::from(recorded.events);
    next_id_ = std::max(next_id_, recorded.id + 1);
    app->instances.push_back(std::move(instance));
  }
  next_id_ = std::max(next_id_, next_id);
  App& added = *app;
  apps_.push_back(std::move(app));
  changed();
  for (auto* observer : observers_) observer->on_app_added(added);

  for (std::size_t i = 0; i < saved.instances.size(); ++i) {
    const SavedInstance& recorded = saved.instances[i];
    Instance& instance = *added.instances[i];
    if (recorded.status == Status::kWaitingRestart) {
      // Its restart was due while no daemon ran (or soon): it starts now.
      instance.status = Status::kStopped;
      start({&instance});
      continue;
    }
    if (!is_running(recorded.status)) continue;
    if (recorded.pid <= 0) {
      restart_vanished(instance, 0, {}, "no process was recorded");
      continue;
    }
    if (!same_boot) {
      // Its pid, start time and cgroup are another boot's: nothing of it runs any more.
      restart_vanished(
          instance, 0, {},
          "the machine restarted since; pid " + std::to_string(recorded.pid) + " not adopted");
      continue;
    }
    SpawnTag tag{recorded.spawn_token, recorded.spawn_cgroup};
    const auto process = runner_->stat(recorded.pid);
    if (process && process->start_ticks == recorded.start_ticks) {
      instance.pid = recorded.pid;
      instance.start_ticks = recorded.start_ticks;
      instance.spawn_tag = std::move(tag);
      adopt_instance(instance, *process);
    } else if (process) {
      restart_vanished(
          instance, recorded.pid, std::move(tag),
          "pid " + std::to_string(recorded.pid) + " now belongs to another program; not adopted");
    } else {
      restart_vanished(instance, recorded.pid, std::move(tag), "exited while no daemon ran");
    }
  }
}

void Supervisor::adopt_listening_sockets() {
  constexpr std::string_view kPrefix = "listen/";
  for (const auto& name : kept_->untaken()) {
    if (!name.starts_with(kPrefix)) continue;
    // listen/<app>/<address>/<slot>/<generation>: app names have no '/', unix socket paths
    // may.
    const std::size_t app_end = name.find('/', kPrefix.size());
    const std::size_t generation_start = name.rfind('/');
    const std::size_t slot_start = generation_start == std::string::npos || generation_start == 0
                                       ? std::string::npos
                                       : name.rfind('/', generation_start - 1);
    UniqueFd fd = kept_->take(name);
    std::optional<ListenAddress> address;
    std::optional<int> slot;
    std::optional<int> generation;
    if (app_end != std::string::npos && slot_start != std::string::npos && slot_start > app_end) {
      address = parse_listen_address(name.substr(app_end + 1, slot_start - app_end - 1));
      const std::string_view whole(name);
      slot = parse_whole<int>(whole.substr(slot_start + 1, generation_start - slot_start - 1));
      generation = parse_whole<int>(whole.substr(generation_start + 1));
    }
    if (!address || !slot || !generation || !fd) {
      spdlog::warn("kept descriptor {} names no listening socket; closed", name);
      continue;
    }
    int listening = 1;
    socklen_t length = sizeof listening;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 &&
        listening == 0) {
      // Shut down by the earlier daemon, which ended before the keeper heard it was released:
      // out of its group already, so not one of the sockets whose order steering follows.
      continue;
    }
    const std::string app = name.substr(kPrefix.size(), app_end - kPrefix.size());
    kept_->keep(name, fd.get());
    sockets_.adopt(app, *address, {*slot, *generation}, std::move(fd));
  }
}

void Supervisor::adopt_instance(Instance& instance, const ProcessStat& process) {
  const pid_t pid = instance.pid;
  const bool was_stopping = instance.status == Status::kStopping;
  UniqueFd out = kept_->take(key("out", pid));
  UniqueFd error = kept_->take(key("err", pid));
  if (!out || !error) return replace_without_pipes(instance);
  // Kept again: they must outlive this daemon too.
  kept_->keep(key("out", pid), out.get());
  kept_->keep(key("err", pid), error.get());
  instance.output = std::make_unique<OutputCapture>(loop_, out.release(), error.release(),
                                                    output_settings(instance), log_hub_);
  if (UniqueFd broker = kept_->take(key("broker", pid))) {
    kept_->keep(key("broker", pid), broker.get());
    instance.broker = std::make_unique<SocketBroker>(
        loop_,
        [this, name = instance.app.spec.name, mode = instance.app.spec.socket_mode,
         slot = instance.index](const ListenAddress& address) {
          return sockets_.acquire(name, address, mode, slot);
        },
        std::move(broker));
  }
  if (UniqueFd channel = kept_->take(key("node", pid))) {
    kept_->keep(key("node", pid), channel.get());
    instance.channel = std::make_unique<NodeChannel>(
        loop_,
        [this, &instance](const Json& message) {
          if (message == "ready") mark_ready(instance, "process.send('ready')");
        },
        std::move(channel));
  }
  notify_.expect(pid);
  instance.cpu_ticks_seen = process.cpu_ticks;
  instance.cpu_seen_at = now();
  instance.status = instance.status == Status::kLaunching ? Status::kLaunching : Status::kOnline;
  record(instance, "adopted (pid " + std::to_string(pid) + ") from the previous daemon");
  // Accepting as before; steering follows once its groups' order is restored.
  if (instance.status == Status::kOnline) steer_in(instance);
  for (auto* observer : observers_) observer->on_instance_started(instance);
  if (instance.status == Status::kLaunching) {
    instance.timer->start(instance.app.spec.listen_timeout,
                          [this, &instance] { readiness_timed_out(instance); });
  }
  // The stop it was under when the previous daemon ended is carried through.
  if (was_stopping)
    stop_one(
        instance, [] {}, runner_->snapshot());
}

void Supervisor::restart_vanished(Instance& instance, pid_t pid, SpawnTag tag, std::string why) {
  instance.pid = 0;
  instance.status = Status::kWaitingRestart;  // a start asked meanwhile goes ahead
  record(instance, why);
  if (!tag.token.empty()) {
    // What it started may outlive it; found by its spawn's tag (never by the pid, which may
    // be another program's now).
    if (instance.app.spec.treekill) runner_->kill_all(tag);
    runner_->retire(std::move(tag));
  }
  // What it wrote before it went may still wait in its pipes (when a keeper held them).
  UniqueFd out = pid > 0 ? kept_->take(key("out", pid)) : UniqueFd();
  UniqueFd error = pid > 0 ? kept_->take(key("err", pid)) : UniqueFd();
  if (pid > 0) {
    kept_->take(key("broker", pid));  // closed: nobody is at their other end any more
    kept_->take(key("node", pid));
  }
  if (!out || !error) return restart_adopted(instance);
  // Read to the end now; the restart waits until the lines are in the files (the drain goes on
  // once `output` is gone).
  OutputCapture output(loop_, out.release(), error.release(), output_settings(instance), log_hub_);
  output.drain_and_close(kVanishedLogWait, [this, id = instance.id] {
    auto* waiting = find_instance(id);
    if (waiting && waiting->pid == 0 && waiting->status == Status::kWaitingRestart) {
      restart_adopted(*waiting);
    }
  });
}

void Supervisor::stop_untracked(const std::vector<SpawnTag>& recorded) {
  const std::vector<pid_t> killed = runner_->kill_untracked(recorded);
  if (killed.empty()) return;
  spdlog::warn(
      "killed {} process(es) an earlier daemon started after the last app table it "
      "saved, which no app here owns: pid {}",
      killed.size(), fmt::join(killed, ", "));
}

void Supervisor::restart_adopted(Instance& instance) {
  // Neither code nor signal: nobody saw how it ended.
  after_unplanned_exit(instance, Exit{std::nullopt, std::nullopt, instance.started_at, now()});
}

// No keeper handed its pipes over (it died, or there was none): the process writes into pipes
// nobody reads, so its next line kills it (SIGPIPE) or is lost, and its exit would reach
// nobody (it is no longer anyone's child here). It is stopped gracefully, as `stop` would, and
// started again under this daemon, with its output captured.
void Supervisor::replace_without_pipes(Instance& instance) {
  const pid_t pid = instance.pid;
  record(instance, "adopted (pid " + std::to_string(pid) +
                       ") without its output pipes (no keeper held them): stopping it to start "
                       "it again with its output captured");
  instance.status = Status::kStopping;
  // As stop does: the process group with treekill, else the process alone.
  const pid_t target = instance.app.spec.treekill ? -pid : pid;
  runner_->signal(target, signal_from_name(instance.app.spec.kill_signal).value_or(SIGINT));
  auto still_ours = [this, id = instance.id, pid]() -> Instance* {
    auto* stopping = find_instance(id);
    return stopping && stopping->pid == pid ? stopping : nullptr;
  };
  runner_->when_gone({pid}, instance.app.spec.kill_timeout, [this, still_ours, pid, target] {
    Instance* stopping = still_ours();
    if (!stopping) return;
    // Checked again before SIGKILL: the pid may have been given to another program since.
    const auto process = runner_->stat(pid);
    if (!process || process->start_ticks != stopping->start_ticks) {
      return finish_adopted_stop(*stopping, pid);
    }
    runner_->signal(target, SIGKILL);
    runner_->when_gone({pid}, kKillWait, [this, still_ours, pid] {
      if (Instance* killed = still_ours()) finish_adopted_stop(*killed, pid);
    });
  });
}

void Supervisor::finish_adopted_stop(Instance& instance, pid_t pid) {
  kill_leftovers(instance);
  runner_->retire(std::move(instance.spawn_tag));
  instance.spawn_tag = {};
  notify_.forget(pid);
  instance.pid = 0;
  instance.status = Status::kStopped;
  instance.restarts++;
  record(instance, "stopped; starting it again");
  spawn(instance);
}

}  // namespace cxpm
