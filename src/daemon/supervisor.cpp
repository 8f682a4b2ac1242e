#include "cxpm/daemon/supervisor.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "cxpm/config/command.hpp"
#include "cxpm/core/clock.hpp"
#include "cxpm/core/instances.hpp"
#include "cxpm/daemon/worker_sockets.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/proc.hpp"
#include "cxpm/sys/signals.hpp"
#include "cxpm/sys/spawn.hpp"
#include "cxpm/sys/user.hpp"

namespace cxpm {
namespace {

constexpr std::size_t kEventsKept = 20;
// How long an exit waits for its last lines to reach a stuck disk before it is reported.
constexpr Milliseconds kExitLogWait{5000};
// How long an exit waits for the processes its app left behind to die once killed.
constexpr Milliseconds kLeftoverWait{2000};

RestartSettings restart_settings(const AppSpec& spec) {
  return {spec.autorestart,
          spec.max_restarts,
          spec.min_uptime,
          spec.restart_delay,
          spec.exp_backoff_restart_delay,
          spec.stop_exit_codes,
          spec.restart_budget,
          spec.restart_budget_window};
}

std::string describe_exit(const Exit& exit) {
  if (exit.signal) return "killed by " + signal_name(*exit.signal);
  return "exited with code " + std::to_string(exit.exit_code.value_or(0));
}

Environment instance_environment(const Instance& instance) {
  const AppSpec& spec = instance.app.spec;
  Environment env = spec.env;
  const std::string index = std::to_string(instance.index);
  env["CXPM_INSTANCE"] = index;
  env["CXPM_APP_NAME"] = spec.name;
  env["CXPM_ID"] = std::to_string(instance.id);
  if (!spec.instance_var.empty()) env[spec.instance_var] = index;
  if (!spec.increment_var.empty()) {
    // pm2: the variable's value in env plus the instance index (a port per instance).
    if (auto base = env.find(spec.increment_var); base != env.end()) {
      try {
        base->second = std::to_string(std::stol(base->second) + instance.index);
      } catch (const std::exception&) {
      }
    }
  }
  return env;
}

std::vector<std::string> as_assignments(const Environment& env) {
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

// Node apps get the IPC channel only when they use it: an open channel keeps Node's event
// loop alive, which would change how an app that simply finishes behaves.
bool speaks_node_ipc(const AppSpec& spec) {
  if (!spec.wait_ready && !spec.shutdown_with_message) return false;
  const auto argv = command_argv(spec);
  const std::string& program = argv.front();
  return program == "node" || program.ends_with("/node") || program == "nodejs";
}

bool uses_instance_suffix(const AppSpec& spec) {
  return !spec.merge_logs && (spec.exec_mode == ExecMode::kCluster || spec.instances != 1);
}

}  // namespace

Instance::Instance(uv_loop_t* loop, App& owner, int instance_id, int instance_index)
    : app(owner),
      id(instance_id),
      index(instance_index),
      policy(restart_settings(owner.spec)),
      timer(loop) {}

Supervisor::Supervisor(uv_loop_t* loop, Home home)
    : loop_(loop),
      home_(std::move(home)),
      processes_(loop),
      log_hub_(loop),
      notify_(loop, [this](pid_t sender,
                           const NotifySocket::Fields& fields) { on_notify(sender, fields); }),
      preload_library_(find_preload_library()) {
  if (preload_library_.empty()) {
    spdlog::warn(
        "libcxpm_preload.so not found beside the binary: cluster workers can share "
        "declared listen addresses (LISTEN_FDS) but not addresses they bind themselves");
  }
}

TimePoint Supervisor::now() const {
  return std::chrono::time_point_cast<Milliseconds>(std::chrono::steady_clock::now());
}

App* Supervisor::find_app(std::string_view name) {
  for (auto& app : apps_) {
    if (app->spec.name == name) return app.get();
  }
  return nullptr;
}

Instance* Supervisor::find_instance(int id) {
  for (auto& app : apps_) {
    for (auto& instance : app->instances) {
      if (instance->id == id) return instance.get();
    }
  }
  return nullptr;
}

void Supervisor::record(Instance& instance, std::string message) {
  spdlog::info("{}[{}] {}", instance.app.spec.name, instance.index, message);
  instance.events.push_back({unix_now_ms(), std::move(message)});
  while (instance.events.size() > kEventsKept) instance.events.pop_front();
}

std::optional<std::string> Supervisor::add_app(AppSpec spec) {
  auto app = std::make_unique<App>();
  app->spec = std::move(spec);
  app->created_at_ms = unix_now_ms();
  const int count = resolve_instance_count(app->spec.instances, usable_cpu_count());
  for (int index = 0; index < count; ++index) {
    app->instances.push_back(std::make_unique<Instance>(loop_, *app, next_id_++, index));
  }
  App& added = *app;
  apps_.push_back(std::move(app));
  for (auto* observer : observers_) observer->on_app_added(added);
  if (!added.spec.autostart) return std::nullopt;

  std::vector<Instance*> instances;
  for (auto& instance : added.instances) instances.push_back(instance.get());
  auto errors = start(instances);
  if (errors.empty()) return std::nullopt;
  // All or nothing: kill what did start (forgotten once reaped), forget what did not.
  for (auto* instance : instances) {
    if (instance->pid > 0) {
      ::kill(-instance->pid, SIGKILL);
      instance->status = Status::kStopping;
      instance->on_exit.push_back([this, id = instance->id] {
        if (auto* exited = find_instance(id)) forget(*exited);
      });
    } else {
      forget(*instance);
    }
  }
  return errors.front();
}

std::vector<std::string> Supervisor::start(const std::vector<Instance*>& instances) {
  std::vector<std::string> errors;
  for (auto* instance : instances) {
    if (is_running(instance->status)) continue;
    instance->timer.stop();
    instance->policy.reset();
    if (!spawn(*instance)) errors.push_back(instance->events.back().message);
  }
  return errors;
}

bool Supervisor::spawn(Instance& instance) {
  if (!stop_starting_because_.empty()) {
    instance.status = Status::kStopped;
    record(instance, "not started: " + stop_starting_because_);
    return false;
  }
  const AppSpec& spec = instance.app.spec;
  // Looked up at every start: the user database may have changed since the app was added.
  const auto run_as = resolve_run_as(spec.uid, spec.gid);
  if (const auto* problem = std::get_if<std::string>(&run_as)) {
    return spawn_failed(instance, *problem, 0);
  }
  auto tracking = processes_.prepare(spec.name, instance.index);
  if (!tracking.error.empty()) return spawn_failed(instance, tracking.error, tracking.error_number);
  int out_pipe[2], error_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) < 0) {
    const int error_number = errno;
    processes_.retire(std::move(tracking.tag));
    return spawn_failed(instance, "pipe: " + error_text(error_number), error_number);
  }
  if (::pipe2(error_pipe, O_CLOEXEC) < 0) {
    const int error_number = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    processes_.retire(std::move(tracking.tag));
    return spawn_failed(instance, "pipe: " + error_text(error_number), error_number);
  }

  SpawnOptions options;
  options.argv = command_argv(spec);
  Environment env = instance_environment(instance);
  add_user_environment(std::get<RunAs>(run_as), env,
                       [&spec](const std::string& name) { return spec.env.sets(name); });
  env[AppProcesses::kTokenVariable] = tracking.tag.token;
  WorkerSockets sockets;
  // Until the spawn, a failure gives back what was made for it.
  auto abandon = [&](const std::string& why, int error_number) {
    for (int fd : {out_pipe[0], out_pipe[1], error_pipe[0], error_pipe[1]}) ::close(fd);
    processes_.retire(std::move(tracking.tag));
    return spawn_failed(instance, why, error_number);
  };
  if (spec.exec_mode == ExecMode::kCluster) {
    try {
      sockets = prepare_worker_sockets(loop_, sockets_, spec, instance.index);
    } catch (const SystemError& error) {  // its broker's socketpair: EMFILE passes
      return abandon(error.what(), error.error_number);
    }
    if (!sockets.error.empty()) return abandon(sockets.error, 0);
    add_worker_environment(env, spec, sockets, preload_library_);
    options.passed_fds = sockets.fds;
    options.set_listen_pid = !sockets.fds.empty();
    options.passed_fds.push_back(sockets.broker->worker_end());
  }
  env["NOTIFY_SOCKET"] = notify_.address();
  std::unique_ptr<NodeChannel> channel;
  if (speaks_node_ipc(spec)) {
    try {
      channel = std::make_unique<NodeChannel>(loop_, [this, &instance](const Json& message) {
        if (message == "ready") mark_ready(instance, "process.send('ready')");
      });
    } catch (const SystemError& error) {
      return abandon(error.what(), error.error_number);
    }
    env["NODE_CHANNEL_FD"] = std::to_string(3 + options.passed_fds.size());
    env["NODE_CHANNEL_SERIALIZATION_MODE"] = "json";
    options.passed_fds.push_back(channel->app_end());
  }
  options.env = as_assignments(env);
  options.cwd = spec.cwd;
  options.uid = std::get<RunAs>(run_as).uid;
  options.gid = std::get<RunAs>(run_as).gid;
  options.groups = std::get<RunAs>(run_as).groups;
  options.cgroup_join_fd = tracking.join_fd.get();
  options.stdout_fd = out_pipe[1];
  options.stderr_fd = error_pipe[1];
  const SpawnResult result = spawn_process(options);
  ::close(out_pipe[1]);
  ::close(error_pipe[1]);
  tracking.join_fd.reset();
  if (!result.ok()) {
    ::close(out_pipe[0]);
    ::close(error_pipe[0]);
    processes_.retire(std::move(tracking.tag));
    return spawn_failed(instance, result.error, result.error_number);
  }
  instance.spawn_tag = std::move(tracking.tag);
  instance.spawn_retry.reset();
  if (sockets.broker) sockets.broker->close_worker_end();
  instance.broker = std::move(sockets.broker);
  if (channel) channel->close_app_end();
  instance.channel = std::move(channel);
  instance.output = std::make_unique<OutputCapture>(loop_, out_pipe[0], error_pipe[0],
                                                    output_settings(instance), log_hub_);
  instance.pid = result.pid;
  notify_.expect(result.pid);  // its sd_notify datagrams are let in
  instance.started_at = now();
  instance.status = spec.wait_ready ? Status::kLaunching : Status::kOnline;
  instance.status_text.clear();
  instance.escaped_children.clear();
  instance.cpu_ticks_seen = 0;
  instance.cpu_percent = 0;
  instance.cpu_seen_at = instance.started_at;
  record(instance, "started (pid " + std::to_string(result.pid) + ")");
  for (auto* observer : observers_) observer->on_instance_started(instance);
  if (spec.wait_ready) {
    instance.timer.start(spec.listen_timeout, [this, &instance] { readiness_timed_out(instance); });
  } else {
    tell_ready_waiters(instance, true, {});
  }
  return true;
}

void Supervisor::mark_ready(Instance& instance, const std::string& how) {
  if (instance.status != Status::kLaunching) return;
  instance.timer.stop();
  instance.status = Status::kOnline;
  record(instance, "ready (" + how + ") after " +
                       std::to_string((now() - instance.started_at).count()) + " ms");
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
    auto stat = read_process_stat(pid);
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

Instance& Supervisor::add_replacement(Instance& old) {
  App& app = old.app;
  app.instances.push_back(std::make_unique<Instance>(loop_, app, next_id_++, old.index));
  return *app.instances.back();
}

void Supervisor::retire(Instance& old, Instance& replacement, Done done) {
  const int replacement_id = replacement.id;
  stop_one(
      old,
      [this, old_id = old.id, replacement_id, done = std::move(done)] {
        Instance* retired = find_instance(old_id);
        Instance* successor = find_instance(replacement_id);
        if (retired && successor) {
          successor->restarts = retired->restarts + 1;
          std::deque<ProcessEvent> history;
          std::ranges::merge(retired->events, successor->events, std::back_inserter(history),
                             [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
          successor->events = std::move(history);
          while (successor->events.size() > kEventsKept) successor->events.pop_front();
          forget(*retired);
          successor->id = old_id;
        }
        done();
      },
      ProcessTree::snapshot());
}

void Supervisor::stop(const std::vector<Instance*>& instances, Done done) {
  auto remaining = std::make_shared<std::size_t>(instances.size());
  auto shared_done = std::make_shared<Done>(std::move(done));
  if (instances.empty()) return (*shared_done)();
  const bool any_running = std::ranges::any_of(
      instances, [](const Instance* instance) { return is_running(instance->status); });
  const ProcessTree tree = any_running ? ProcessTree::snapshot() : ProcessTree{};
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
      instance.timer.stop();
      instance.status = Status::kStopped;
      record(instance, "stopped (was waiting to restart)");
      return done();
    case Status::kStopping:
      instance.on_exit.push_back(std::move(done));
      return;
    case Status::kLaunching:
    case Status::kOnline:
      break;
  }
  const AppSpec& spec = instance.app.spec;
  const int signal_number = signal_from_name(spec.kill_signal).value_or(SIGINT);
  instance.status = Status::kStopping;
  instance.on_exit.push_back(std::move(done));
  if (spec.shutdown_with_message && instance.channel) {
    instance.channel->send("shutdown");
    record(instance, "stopping: sent the 'shutdown' message");
  } else if (spec.treekill) {
    // Children that left the app's process group (setsid, setpgid) are found by parentage now,
    // while they still have their parents.
    for (const auto& child : tree.descendants_of(instance.pid)) {
      if (child.group != instance.pid) instance.escaped_children.push_back(child.pid);
    }
    ::kill(-instance.pid, signal_number);
    for (pid_t child : instance.escaped_children) ::kill(child, signal_number);
    // And those no longer below it (daemonized: re-parented to us), found by their tag.
    processes_.signal_outside_group(instance.spawn_tag, instance.pid, signal_number,
                                    instance.escaped_children);
  } else {
    ::kill(instance.pid, signal_number);
  }
  if (!spec.shutdown_with_message || !instance.channel) {
    record(instance, "stopping: sent " + signal_name(signal_number));
  }
  instance.timer.start(spec.kill_timeout, [this, &instance] {
    record(instance, "still running after kill_timeout " +
                         std::to_string(instance.app.spec.kill_timeout.count()) +
                         " ms: sending SIGKILL");
    ::kill(instance.app.spec.treekill ? -instance.pid : instance.pid, SIGKILL);
    for (pid_t child : instance.escaped_children) ::kill(child, SIGKILL);
    if (instance.app.spec.treekill) processes_.kill_all(instance.spawn_tag);
  });
}

void Supervisor::restart(const std::vector<Instance*>& instances, Done done) {
  std::vector<int> ids;
  for (auto* instance : instances) ids.push_back(instance->id);
  stop(instances, [this, ids = std::move(ids), done = std::move(done)] {
    // Found again by id: an instance may have been removed while it stopped.
    std::vector<Instance*> stopped;
    for (int id : ids) {
      if (auto* instance = find_instance(id)) stopped.push_back(instance);
    }
    for (auto* instance : stopped) {
      instance->restarts++;
      instance->policy.reset();
    }
    start(stopped);
    done();
  });
}

void Supervisor::replace_spec(App& app, AppSpec spec) {
  for (auto* observer : observers_) observer->on_app_removed(app);
  app.spec = std::move(spec);
  for (auto& instance : app.instances) {
    instance->policy = RestartPolicy(restart_settings(app.spec));
  }
  for (auto* observer : observers_) observer->on_app_added(app);
}

void Supervisor::restart_with_spec(AppSpec spec,
                                   std::function<void(std::vector<std::string>)> done) {
  App* app = find_app(spec.name);
  if (!app) return done({"the app was deleted before it restarted"});
  std::vector<Instance*> instances;
  for (auto& instance : app->instances) instances.push_back(instance.get());
  // The old spec stops the app (its kill_signal, its kill_timeout); the new one starts it.
  stop(instances, [this, spec = std::move(spec), done = std::move(done)]() mutable {
    App* app = find_app(spec.name);
    if (!app) return done({"the app was deleted while it restarted"});
    const std::string name = spec.name;
    replace_spec(*app, std::move(spec));
    for (auto& instance : app->instances) instance->restarts++;
    const int requested = app->spec.instances;  // "max" stays "max", not today's CPU count
    const int count = resolve_instance_count(requested, usable_cpu_count());
    scale(*app, count,
          [this, name, requested, done = std::move(done)](std::vector<std::string> errors) {
            if (App* scaled = find_app(name)) {
              scaled->spec.instances = requested;
              std::vector<Instance*> all;
              for (auto& instance : scaled->instances) all.push_back(instance.get());
              auto start_errors = start(all);
              errors.insert(errors.end(), start_errors.begin(), start_errors.end());
            }
            done(std::move(errors));
          });
  });
}

void Supervisor::remove(const std::vector<Instance*>& instances, Done done) {
  std::vector<int> ids;
  for (auto* instance : instances) ids.push_back(instance->id);
  stop(instances, [this, ids, done = std::move(done)]() mutable {
    // A restart that was under way (watch, cron_restart, a `restart`) starts the instance
    // again as soon as it exits, before this runs: stop it again rather than forget a live
    // process.
    std::vector<Instance*> started_again;
    for (int id : ids) {
      if (auto* instance = find_instance(id)) {
        if (instance->pid > 0) {
          started_again.push_back(instance);
        } else {
          forget(*instance);
        }
      }
    }
    if (!started_again.empty()) return remove(started_again, std::move(done));
    done();
  });
}

void Supervisor::forget(Instance& instance) {
  // Whoever still waits on the instance is told now, once it is gone: a waiter left in a freed
  // instance would never answer its client.
  auto ready_waiters = std::move(instance.on_ready);
  auto exit_waiters = std::move(instance.on_exit);
  instance.on_ready.clear();
  instance.on_exit.clear();
  App& app = instance.app;
  const bool slot_in_use = std::ranges::any_of(app.instances, [&](const auto& other) {
    return other.get() != &instance && other->index == instance.index;
  });
  if (!slot_in_use) sockets_.release_slot(app.spec.name, instance.index);
  std::erase_if(app.instances, [&](const auto& candidate) { return candidate.get() == &instance; });
  if (app.instances.empty()) {
    for (auto* observer : observers_) observer->on_app_removed(app);
    sockets_.release_app(app.spec.name);
    std::erase_if(apps_, [&](const auto& candidate) { return candidate.get() == &app; });
  }
  for (auto& waiter : ready_waiters) waiter(false, "was removed");
  for (auto& waiter : exit_waiters) waiter();
}

void Supervisor::scale(App& app, int count, std::function<void(std::vector<std::string>)> done) {
  const int current = static_cast<int>(app.instances.size());
  app.spec.instances = count;
  if (count >= current) {
    std::vector<Instance*> added;
    for (int n = current; n < count; ++n) {
      std::vector<int> used;
      for (const auto& instance : app.instances) used.push_back(instance->index);
      app.instances.push_back(
          std::make_unique<Instance>(loop_, app, next_id_++, lowest_free_index(used)));
      added.push_back(app.instances.back().get());
      record(*added.back(), "added by scale");
    }
    return done(start(added));
  }
  std::vector<Instance*> removed;
  for (const auto& instance : app.instances) removed.push_back(instance.get());
  std::ranges::sort(removed, [](auto* a, auto* b) { return a->index > b->index; });
  removed.resize(static_cast<std::size_t>(current - count));
  remove(removed, [done = std::move(done)] { done({}); });
}

void Supervisor::reset_counters(const std::vector<Instance*>& instances) {
  for (auto* instance : instances) {
    instance->restarts = 0;
    instance->policy.reset();
    record(*instance, "counters reset");
  }
}

void Supervisor::reap() {
  for (;;) {
    int wait_status = 0;
    const pid_t pid = ::waitpid(-1, &wait_status, WNOHANG);
    if (pid <= 0) return processes_.sweep();  // leaves whose last process just went
    Instance* exited = nullptr;
    for (auto& app : apps_) {
      for (auto& instance : app->instances) {
        if (instance->pid == pid) exited = instance.get();
      }
    }
    // Unknown pids are an app's orphans, re-parented to us as the subreaper: reaped, no more.
    if (exited) handle_exit(*exited, wait_status);
  }
}

void Supervisor::handle_exit(Instance& instance, int wait_status) {
  // What the app left running dies first, and is gone before the exit is reported: a restart
  // must find the app's port free.
  const std::vector<pid_t> leftovers = kill_leftovers(instance);
  if (!leftovers.empty()) {
    return processes_.when_gone(leftovers, kLeftoverWait, [this, id = instance.id, wait_status] {
      if (auto* exited = find_instance(id)) finish_after_output(*exited, wait_status);
    });
  }
  finish_after_output(instance, wait_status);
}

void Supervisor::finish_after_output(Instance& instance, int wait_status) {
  if (instance.output) {
    // The exit is reported once the last lines are in the files (written off the loop).
    auto output = std::move(instance.output);
    output->drain_and_close();
    output->when_written(kExitLogWait, [this, id = instance.id, pid = instance.pid, wait_status] {
      // The pid too: a reload's replacement may have taken over the id meanwhile.
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
  Exit exit{std::nullopt, std::nullopt, instance.started_at, now()};
  if (WIFEXITED(wait_status)) exit.exit_code = WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) exit.signal = WTERMSIG(wait_status);
  instance.exit_code = exit.exit_code;
  instance.exit_signal = exit.signal;
  instance.timer.stop();
  processes_.retire(std::move(instance.spawn_tag));
  instance.spawn_tag = {};
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
      record(instance, "errored: " + decision.reason);
      return;
    case RestartDecision::Action::kRestart:
      break;
  }
  instance.restarts++;
  if (decision.delay.count() == 0) {
    record(instance, describe_exit(exit) + "; restarting");
    spawn(instance);
    return;
  }
  instance.status = Status::kWaitingRestart;
  record(instance,
         describe_exit(exit) + "; restarting in " + std::to_string(decision.delay.count()) + " ms");
  instance.timer.start(decision.delay, [this, &instance] { spawn(instance); });
}

std::vector<pid_t> Supervisor::kill_leftovers(Instance& instance) {
  if (!instance.app.spec.treekill) return {};
  // The process group outlives its leader while members remain, and daemonized processes
  // left it: none must keep the app's ports and files after it exited.
  std::vector<pid_t> killed = processes_.kill_all(instance.spawn_tag);  // the group's too
  ::kill(-instance.pid, SIGKILL);
  for (pid_t child : instance.escaped_children) {
    if (::kill(child, SIGKILL) == 0) killed.push_back(child);
  }
  instance.escaped_children.clear();
  std::erase(killed, instance.pid);  // the leader is gone already (reaped)
  return killed;
}

std::string Supervisor::log_path(const Instance& instance, const std::string& option,
                                 const char* stream) const {
  const AppSpec& spec = instance.app.spec;
  if (option == "/dev/null") return option;
  // pm2's rule: one file per instance unless merge_logs, for chosen paths too.
  const std::string suffix = uses_instance_suffix(spec) ? "-" + std::to_string(instance.index) : "";
  if (option.empty()) return home_.logs_dir() + "/" + spec.name + "-" + stream + suffix + ".log";
  // Relative paths (`log_file: true` is "<name>.log") are under $CXPM_HOME/logs.
  const std::string path = option.front() == '/' ? option : home_.logs_dir() + "/" + option;
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  const auto end = dot != std::string::npos && dot > slash + 1 ? dot : path.size();
  return path.substr(0, end) + suffix + path.substr(end);
}

std::string Supervisor::out_log_path(const Instance& instance) const {
  return log_path(instance, instance.app.spec.out_file, "out");
}

std::string Supervisor::error_log_path(const Instance& instance) const {
  return log_path(instance, instance.app.spec.error_file, "error");
}

std::string Supervisor::combined_log_path(const Instance& instance) const {
  const std::string& option = instance.app.spec.log_file;
  if (option.empty() || option == "/dev/null") return option;
  return option.front() == '/' ? option : home_.logs_dir() + "/" + option;
}

OutputSettings Supervisor::output_settings(const Instance& instance) {
  const AppSpec& spec = instance.app.spec;
  const RotationSettings rotation = rotation_settings_of(spec);
  const auto user = log_file_user_of(spec);  // where others may write, opened as the app's user
  LogFiles& files = log_hub_.files();
  return {{files.open(out_log_path(instance), rotation, user),
           files.open(error_log_path(instance), rotation, user),
           files.open(combined_log_path(instance), rotation, user)},
          line_format_of(spec),
          {spec.name, instance.id, instance.index}};
}

ProcessInfo Supervisor::describe(Instance& instance, bool with_events) {
  ProcessInfo info;
  info.id = instance.id;
  info.name = instance.app.spec.name;
  info.instance = instance.index;
  info.pid = instance.pid;
  info.status = instance.status;
  info.restarts = instance.restarts;
  info.unstable_restarts = instance.policy.unstable_restarts();
  info.created_at_ms = instance.app.created_at_ms;
  info.exec_mode = instance.app.spec.exec_mode;
  info.exit_code = instance.exit_code;
  info.exit_signal = instance.exit_signal;
  info.out_log = out_log_path(instance);
  info.error_log = error_log_path(instance);
  if (instance.pid > 0) {
    const TimePoint sampled_at = now();
    info.uptime_ms = (sampled_at - instance.started_at).count();
    if (auto stat = read_process_stat(instance.pid)) {
      info.memory = processes_.memory_bytes(instance.spawn_tag).value_or(stat->rss_bytes);
      // CPU since the last look (or since start): no timer runs while nobody asks.
      const double elapsed_s = (sampled_at - instance.cpu_seen_at).count() / 1000.0;
      // With a cgroup, the CPU of everything the app runs (its workers, its children).
      const std::uint64_t cpu_ticks =
          processes_.cpu_ticks(instance.spawn_tag).value_or(stat->cpu_ticks);
      const double ticks = static_cast<double>(cpu_ticks - instance.cpu_ticks_seen);
      if (elapsed_s > 0.05) {
        instance.cpu_percent =
            100.0 * ticks / static_cast<double>(clock_ticks_per_second()) / elapsed_s;
        instance.cpu_ticks_seen = cpu_ticks;
        instance.cpu_seen_at = sampled_at;
      }
      info.cpu = instance.cpu_percent;
    }
  }
  if (with_events) {
    info.events.assign(instance.events.begin(), instance.events.end());
    info.process_tracking = processes_.mechanism();
    info.memory_source = processes_.memory_source();
  }
  return info;
}

}  // namespace cxpm
