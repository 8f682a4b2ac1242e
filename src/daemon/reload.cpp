#include "cxpm/daemon/reload.hpp"

#include <algorithm>

#include "cxpm/core/clock.hpp"
#include "cxpm/core/instances.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
namespace {

std::string label(const Instance& instance) {
  return instance.app.spec.name + "[" + std::to_string(instance.index) + "]";
}

}  // namespace

void Reload::run(Supervisor& supervisor, std::vector<int> instance_ids, int parallel,
                 Finish finish) {
  auto reload =
      std::make_shared<Reload>(supervisor, std::move(instance_ids), parallel, std::move(finish));
  reload->next();
}

Reload::Reload(Supervisor& supervisor, std::vector<int> instance_ids, int parallel, Finish finish)
    : supervisor_(supervisor),
      pending_(instance_ids.begin(), instance_ids.end()),
      parallel_(std::max(1, parallel)),
      finish_(std::move(finish)) {}

void Reload::next() {
  auto self = shared_from_this();  // callbacks below may hold the last other reference
  while (running_ < parallel_ && !pending_.empty() && !error_) {
    Instance* old = supervisor_.find_instance(pending_.front());
    pending_.pop_front();
    if (!old) continue;  // deleted meanwhile
    if (old->app.spec.exec_mode == ExecMode::kFork || !is_running(old->status)) {
      restart(*old);
    } else {
      begin(*old);
    }
  }
  if (running_ == 0 && (pending_.empty() || error_) && !finished_) {
    finished_ = true;
    finish_(steps_, error_);
  }
}

void Reload::restart(Instance& old) {
  ++running_;
  const int id = old.id;
  const pid_t old_pid = old.pid;
  const TimePoint started = supervisor_.now();
  supervisor_.restart({&old}, [self = shared_from_this(), id, old_pid, started] {
    if (Instance* instance = self->supervisor_.find_instance(id)) {
      self->steps_.push_back({instance->app.spec.name, instance->index, id, old_pid, instance->pid,
                              (self->supervisor_.now() - started).count(), true});
      if (instance->pid == 0) {
        self->error_ =
            label(*instance) + " did not start again: " +
            (instance->events.empty() ? "see describe" : instance->events.back().message);
      }
    }
    --self->running_;
    self->next();
  });
}

void Reload::begin(Instance& old) {
  ++running_;
  Instance& replacement = supervisor_.add_replacement(old);
  supervisor_.record(old, "reload: starting a replacement");
  const int old_id = old.id;
  const int replacement_id = replacement.id;
  const TimePoint started = supervisor_.now();
  replacement.on_ready.push_back([self = shared_from_this(), old_id, replacement_id, started](
                                     bool ready, const std::string& why) {
    self->settle(old_id, replacement_id, ready, why, started);
  });
  auto errors = supervisor_.start({&replacement});
  if (!errors.empty()) {
    // The spawn itself failed, so no readiness will ever be told.
    settle(old_id, replacement_id, false, errors.front(), started);
  }
}

void Reload::settle(int old_id, int replacement_id, bool ready, const std::string& why,
                    TimePoint started) {
  Instance* old = supervisor_.find_instance(old_id);
  Instance* replacement = supervisor_.find_instance(replacement_id);
  if (!old || !replacement) {  // deleted meanwhile
    if (replacement) supervisor_.remove({replacement}, [] {});
    --running_;
    return next();
  }
  if (!ready) {
    const std::string reason = label(*old) + ": the new process " + why +
                               "; the old process (pid " + std::to_string(old->pid) +
                               ") keeps serving";
    supervisor_.record(*old, "reload failed: " + why, "reload_failed");
    error_ = reason;
    supervisor_.remove({replacement}, [self = shared_from_this()] {
      --self->running_;
      self->next();
    });
    return;
  }
  steps_.push_back({old->app.spec.name, old->index, old_id, old->pid, replacement->pid,
                    (supervisor_.now() - started).count(), false});
  supervisor_.retire(*old, *replacement,
                     [self = shared_from_this(), old_id, step = steps_.size() - 1] {
                       // The replacement has the old id now, and the old worker's drain time.
                       if (Instance* successor = self->supervisor_.find_instance(old_id)) {
                         self->steps_[step].drain_ms = successor->drained_ms;
                       }
                       --self->running_;
                       self->next();
                     });
}

void reload_with_spec(Supervisor& supervisor, AppSpec spec, int parallel, Reload::Finish finish) {
  App* app = supervisor.find_app(spec.name);
  if (!app) return finish({}, "no app named '" + spec.name + "' to reload");
  const std::string name = spec.name;
  const int requested = spec.instances;  // "max" stays "max"
  AppSpec previous = app->spec;
  spec.instances = previous.instances;
  supervisor.replace_spec(*app, std::move(spec));
  std::vector<int> ids;
  for (auto& instance : app->instances) ids.push_back(instance->id);
  Reload::run(
      supervisor, ids, parallel,
      [&supervisor, name, requested, previous = std::move(previous), finish = std::move(finish)](
          const std::vector<ReloadStep>& steps, const std::optional<std::string>& error) mutable {
        App* reloaded = supervisor.find_app(name);
        if (!reloaded) return finish(steps, error);
        if (error) {
          supervisor.replace_spec(*reloaded, std::move(previous));
          return finish(steps, error);
        }
        const int count = resolve_instance_count(requested, usable_cpu_count());
        supervisor.scale(*reloaded, count,
                         [&supervisor, name, requested, steps,
                          finish = std::move(finish)](std::vector<std::string> errors) {
                           if (App* scaled = supervisor.find_app(name)) {
                             scaled->spec.instances = requested;
                           }
                           finish(steps, errors.empty()
                                             ? std::nullopt
                                             : std::optional<std::string>(errors.front()));
                         });
      });
}

}  // namespace cxpm
