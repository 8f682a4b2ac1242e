// The app registry: apps and their instances as they are added, found, given new settings and
// forgotten, and each instance's recent events.
#include "cxpm/daemon/supervisor.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "cxpm/core/clock.hpp"
#include "cxpm/core/instances.hpp"
#include "cxpm/daemon/captured_stream.hpp"
#include "cxpm/daemon/state_writer.hpp"
#include "cxpm/daemon/worker_sockets.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
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

Instance::Instance(Timers& timers, App& owner, int instance_id, int instance_index)
    : app(owner),
      id(instance_id),
      index(instance_index),
      policy(restart_settings(owner.spec)),
      timer(timers.one_shot()) {}

Supervisor::Supervisor(uv_loop_t* loop, Home home)
    : Supervisor(loop, std::move(home), std::make_unique<SystemProcessRunner>(loop),
                 std::make_unique<UvTimers>(loop)) {}

Supervisor::Supervisor(uv_loop_t* loop, Home home, std::unique_ptr<ProcessRunner> runner,
                       std::unique_ptr<Timers> timers)
    : loop_(loop),
      home_(std::move(home)),
      runner_(std::move(runner)),
      timers_(std::move(timers)),
      log_hub_(loop),
      notify_(loop, [this](pid_t sender,
                           const NotifySocket::Fields& fields) { on_notify(sender, fields); }),
      preload_library_(find_preload_library()) {
  prepare_pipe_peek();
  if (preload_library_.empty()) {
    spdlog::warn(
        "libcxpm_preload.so not found beside the binary: cluster workers can share "
        "declared listen addresses (LISTEN_FDS) but not addresses they bind themselves");
  }
}

Supervisor::~Supervisor() = default;

void Supervisor::record_state_with(std::unique_ptr<StateWriter> writer) {
  state_writer_ = std::move(writer);
  changed();
}

void Supervisor::changed() {
  if (state_writer_) state_writer_->changed();
}

void Supervisor::hand_over_output(Done done) {
  auto left = std::make_shared<std::size_t>(1);  // one for this loop, so `done` runs once
  auto one_done = [left, done = std::move(done)] {
    if (--*left == 0) done();
  };
  for (auto& app : apps_) {
    for (auto& instance : app->instances) {
      if (!instance->output) continue;
      ++*left;
      instance->output->hand_over(one_done);
    }
  }
  one_done();
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

void Supervisor::record(Instance& instance, std::string message, std::string_view kind) {
  spdlog::info("{}[{}] {}", instance.app.spec.name, instance.index, message);
  const std::int64_t at = unix_now_ms();
  event_log_.add({.time_ms = at,
                  .event = std::string(kind),
                  .app = instance.app.spec.name,
                  .id = instance.id,
                  .instance = instance.index,
                  .pid = instance.pid > 0 ? instance.pid : instance.last_pid,
                  .exit_code = instance.exit_code,
                  .exit_signal = instance.exit_signal,
                  .restarts = instance.restarts,
                  .message = message});
  instance.events.push({at, std::move(message)});
  // Every change of an instance's life is recorded, so this is where the state file hears of it.
  changed();
}

std::optional<std::string> Supervisor::add_app(AppSpec spec) {
  auto app = std::make_unique<App>();
  app->spec = std::move(spec);
  app->created_at_ms = unix_now_ms();
  const int count = resolve_instance_count(app->spec.instances, usable_cpu_count());
  for (int index = 0; index < count; ++index) {
    app->instances.push_back(std::make_unique<Instance>(*timers_, *app, next_id_++, index));
  }
  App& added = *app;
  apps_.push_back(std::move(app));
  changed();
  for (auto* observer : observers_) observer->on_app_added(added);
  if (!added.spec.autostart) return std::nullopt;

  std::vector<Instance*> instances;
  for (auto& instance : added.instances) instances.push_back(instance.get());
  auto errors = start(instances);
  if (errors.empty()) return std::nullopt;
  // All or nothing: kill what did start (forgotten once reaped), forget what did not.
  for (auto* instance : instances) {
    if (instance->pid > 0) {
      runner_->signal(-instance->pid, SIGKILL);
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

void Supervisor::replace_spec(App& app, AppSpec spec) {
  for (auto* observer : observers_) observer->on_app_removed(app);
  app.spec = std::move(spec);
  for (auto& instance : app.instances) {
    instance->policy = RestartPolicy(restart_settings(app.spec));
  }
  changed();
  for (auto* observer : observers_) observer->on_app_added(app);
}

void Supervisor::reset_counters(const std::vector<Instance*>& instances) {
  for (auto* instance : instances) {
    instance->restarts = 0;
    instance->policy.reset();
    record(*instance, "counters reset");
  }
}

Instance& Supervisor::add_replacement(Instance& old) {
  App& app = old.app;
  app.instances.push_back(std::make_unique<Instance>(*timers_, app, next_id_++, old.index));
  // Sockets of its own in the slot's reuseport group, so the kernel can tell the two apart.
  app.instances.back()->socket_generation = old.socket_generation + 1;
  return *app.instances.back();
}

void Supervisor::retire(Instance& old, Instance& replacement, Done done) {
  const int replacement_id = replacement.id;
  old.drained_ms = 0;
  steer_out({&old});
  stop_one(
      old,
      [this, old_id = old.id, replacement_id, done = std::move(done)] {
        Instance* retired = find_instance(old_id);
        Instance* successor = find_instance(replacement_id);
        if (retired && successor) {
          successor->restarts = retired->restarts + 1;
          successor->drained_ms = retired->drained_ms;  // for the reload's report
          std::vector<ProcessEvent> history;
          std::ranges::merge(retired->events, successor->events, std::back_inserter(history),
                             [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
          successor->events = decltype(successor->events)::from(std::move(history));
          forget(*retired);
          successor->id = old_id;
        }
        done();
      },
      runner_->snapshot());
}

void Supervisor::forget(Instance& instance) {
  // Whoever still waits on the instance is told now, once it is gone: a waiter left in a freed
  // instance would never answer its client.
  auto ready_waiters = std::move(instance.on_ready);
  auto exit_waiters = std::move(instance.on_exit);
  instance.on_ready.clear();
  instance.on_exit.clear();
  App& app = instance.app;
  const bool sockets_in_use = std::ranges::any_of(app.instances, [&](const auto& other) {
    return other.get() != &instance && other->index == instance.index &&
           other->socket_generation == instance.socket_generation;
  });
  if (!sockets_in_use) {
    sockets_.release_generation(app.spec.name, {instance.index, instance.socket_generation});
  }
  std::erase_if(app.instances, [&](const auto& candidate) { return candidate.get() == &instance; });
  if (app.instances.empty()) {
    for (auto* observer : observers_) observer->on_app_removed(app);
    sockets_.release_app(app.spec.name);
    std::erase_if(apps_, [&](const auto& candidate) { return candidate.get() == &app; });
  }
  changed();
  for (auto& waiter : ready_waiters) waiter(false, "was removed");
  for (auto& waiter : exit_waiters) waiter();
}

}  // namespace cxpm
