// Launching an instance: its environment, sockets and channels, the process (through the
// runner), its output capture, and the readiness wait it begins.
#include <algorithm>

#include "cxpm/config/command.hpp"
#include "cxpm/config/health_check.hpp"
#include "cxpm/config/instance_environment.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/worker_sockets.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/user.hpp"

namespace cxpm {

namespace {

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

}  // namespace

std::vector<std::string> Supervisor::start(const std::vector<Instance*>& instances) {
  std::vector<std::string> errors;
  for (auto* instance : instances) {
    if (is_running(instance->status)) continue;
    instance->timer->stop();
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

  SpawnOptions options;
  options.argv = command_argv(spec);
  Environment env = instance_environment(instance.app.spec, instance.index, instance.id);
  add_user_environment(std::get<RunAs>(run_as), env,
                       [&spec](const std::string& name) { return spec.env.sets(name); });
  WorkerSockets sockets;
  if (spec.exec_mode == ExecMode::kCluster) {
    try {
      sockets = prepare_worker_sockets(loop_, sockets_, spec,
                                       {instance.index, instance.socket_generation});
    } catch (const SystemError& error) {  // its broker's socketpair: EMFILE passes
      return spawn_failed(instance, error.what(), error.error_number);
    }
    if (!sockets.error.empty()) return spawn_failed(instance, sockets.error, 0);
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
      return spawn_failed(instance, error.what(), error.error_number);
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
  Launched launched = runner_->launch(spec.name, instance.index, std::move(options));
  if (!launched.ok()) return spawn_failed(instance, launched.error, launched.error_number);
  instance.spawn_tag = std::move(launched.tag);
  instance.spawn_retry.reset();
  if (sockets.broker) sockets.broker->close_worker_end();
  instance.broker = std::move(sockets.broker);
  if (channel) channel->close_app_end();
  instance.channel = std::move(channel);
  // Kept by the keeper: if this daemon dies, the app's writes wait in the pipes, its worker
  // sockets and channel stay open, and the next daemon takes them (kept_fds.hpp).
  const std::string pid_text = std::to_string(launched.pid);
  kept_->keep("out/" + pid_text, launched.out_pipe.get());
  kept_->keep("err/" + pid_text, launched.error_pipe.get());
  if (instance.broker) kept_->keep("broker/" + pid_text, instance.broker->daemon_end());
  if (instance.channel) kept_->keep("node/" + pid_text, instance.channel->daemon_end());
  if (launched.out_pipe && launched.error_pipe) {
    instance.output = std::make_unique<OutputCapture>(loop_, launched.out_pipe.release(),
                                                      launched.error_pipe.release(),
                                                      output_settings(instance), log_hub_);
  }
  instance.pid = launched.pid;
  instance.last_pid = launched.pid;
  // Read now, while it surely runs: the next daemon adopts it only if pid and start time match.
  const auto process = runner_->stat(launched.pid);
  instance.start_ticks = process ? process->start_ticks : 0;
  notify_.expect(launched.pid);  // its sd_notify datagrams are let in
  instance.started_at = now();
  // health_wait_ready: HealthChecks marks it ready when its first check passes.
  const bool waits_ready =
      spec.wait_ready || (spec.health_wait_ready && health_kind(spec) != HealthKind::kNone);
  instance.status = waits_ready ? Status::kLaunching : Status::kOnline;
  instance.health_failing = false;
  instance.health.clear();
  instance.status_text.clear();
  instance.escaped_children.clear();
  instance.cpu_ticks_seen = 0;
  instance.cpu_percent = 0;
  instance.cpu_seen_at = instance.started_at;
  record(instance, "started (pid " + std::to_string(launched.pid) + ")");
  for (auto* observer : observers_) observer->on_instance_started(instance);
  if (waits_ready) {
    instance.timer->start(spec.listen_timeout,
                          [this, &instance] { readiness_timed_out(instance); });
  } else {
    steer_in(instance);
    tell_ready_waiters(instance, true, {});
  }
  return true;
}

}  // namespace cxpm
