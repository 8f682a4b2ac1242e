#include "cxpm/daemon/health_checks.hpp"

#include <fmt/format.h>

#include "cxpm/config/health_check.hpp"
#include "cxpm/config/instance_environment.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/daemon/health_probe.hpp"
#include "cxpm/daemon/reload.hpp"
#include "cxpm/sys/user.hpp"

namespace cxpm {
namespace {

HealthSettings settings_of(const AppSpec& spec) {
  return {.interval = spec.health_interval,
          .start_period = spec.health_start_period,
          .failures = spec.health_failures};
}

// $PORT and the instance's variables; PORT of a cluster app is its first TCP listen port.
std::string expanded(const std::string& text, const Instance& instance) {
  const Environment env = instance_environment(instance.app.spec, instance.index, instance.id);
  std::string port;
  for (const auto& listen : instance.app.spec.listen) {
    if (auto address = parse_listen_address(listen);
        address && address->kind == ListenAddress::Kind::kTcp) {
      port = std::to_string(address->port);
      break;
    }
  }
  return expand_variables(text, [&](const std::string& name) -> const std::string* {
    if (const auto found = env.find(name); found != env.end()) return &found->second;
    if (name == "PORT" && !port.empty()) return &port;
    return nullptr;
  });
}

std::vector<std::string> assignments(const Environment& env) {
  std::vector<std::string> out;
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

}  // namespace

HealthChecks::HealthChecks(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate)
    : loop_(loop), supervisor_(supervisor), gate_(gate) {}

HealthChecks::~HealthChecks() {
  *alive_ = nullptr;
}

void HealthChecks::on_instance_started(Instance& instance) {
  if (health_kind(instance.app.spec) == HealthKind::kNone) return;
  auto checked = std::make_unique<Checked>(
      loop_, HealthTracker(settings_of(instance.app.spec), supervisor_.now()));
  checked->instance = &instance;
  checked->pid = instance.pid;
  instance.health = "starting";
  // At once (a ready server is known ready without waiting an interval), but on the loop's
  // next turn: a probe that fails at once must not restart the instance while it is starting.
  checked->timer.start(Milliseconds{0}, [this, target = &instance] { due(target); });
  checked_[&instance] = std::move(checked);
}

void HealthChecks::on_app_added(App& app) {
  // New settings for running processes (or the first ones): they are checked from now on.
  for (auto& instance : app.instances) {
    if (instance->pid > 0 &&
        (instance->status == Status::kOnline || instance->status == Status::kLaunching)) {
      on_instance_started(*instance);
    }
  }
}

void HealthChecks::on_instance_exited(Instance& instance, bool /*requested*/) {
  checked_.erase(&instance);
  instance.health_failing = false;
  instance.health.clear();
}

void HealthChecks::on_app_removed(App& app) {
  for (auto& instance : app.instances) checked_.erase(instance.get());
}

HealthChecks::Checked* HealthChecks::find(Instance* instance, pid_t pid) {
  const auto found = checked_.find(instance);
  if (found == checked_.end() || found->second->pid != pid) return nullptr;
  return found->second.get();
}

void HealthChecks::due(Instance* instance) {
  const auto found = checked_.find(instance);
  if (found == checked_.end()) return;
  Checked& checked = *found->second;
  if (checked.probing || checked.queued) return;
  if (in_flight_ >= kMaxInFlight) {
    checked.queued = true;
    waiting_.push_back(instance);
    return;
  }
  probe(checked);
}

void HealthChecks::start_waiting() {
  while (in_flight_ < kMaxInFlight && !waiting_.empty()) {
    Instance* instance = waiting_.front();
    waiting_.pop_front();
    const auto found = checked_.find(instance);
    if (found == checked_.end()) continue;
    found->second->queued = false;
    probe(*found->second);
  }
}

void HealthChecks::probe(Checked& checked) {
  Instance& instance = *checked.instance;
  const AppSpec& spec = instance.app.spec;
  checked.probing = true;
  ++in_flight_;
  ProbeDone done = [alive = std::weak_ptr<HealthChecks*>(alive_), target = &instance,
                    pid = checked.pid](std::optional<std::string> error) {
    const auto self = alive.lock();
    if (!self || !*self) return;
    (*self)->result(target, pid, std::move(error));
  };
  std::string problem;
  switch (health_kind(spec)) {
    case HealthKind::kHttp: {
      const auto target = parse_http_url(expanded(spec.health_http, instance), &problem);
      const auto pass = parse_status_range(spec.health_status, &problem);
      if (!target || !pass) return done("health_http: " + problem);
      return probe_http(loop_, *target, *pass, spec.health_timeout, std::move(done));
    }
    case HealthKind::kTcp: {
      const auto address = parse_host_port(expanded(spec.health_tcp, instance), &problem);
      if (!address) return done("health_tcp: " + problem);
      return probe_tcp(loop_, *address, spec.health_timeout, std::move(done));
    }
    case HealthKind::kExec: {
      SpawnOptions options;
      options.argv = health_exec_argv(spec.health_exec);
      options.env =
          assignments(instance_environment(instance.app.spec, instance.index, instance.id));
      options.cwd = spec.cwd;
      const auto run_as = resolve_run_as(spec.uid, spec.gid);
      if (const auto* why = std::get_if<std::string>(&run_as)) return done(*why);
      options.uid = std::get<RunAs>(run_as).uid;
      options.gid = std::get<RunAs>(run_as).gid;
      options.groups = std::get<RunAs>(run_as).groups;
      return probe_exec(supervisor_, std::move(options), spec.health_timeout, std::move(done));
    }
    case HealthKind::kNone:
      return done("no health check");
  }
}

void HealthChecks::result(Instance* instance, pid_t pid, std::optional<std::string> error) {
  --in_flight_;  // every probe reports once, whether or not its instance is still checked
  start_waiting();
  Checked* checked = find(instance, pid);
  if (!checked) return;  // the instance exited or went meanwhile
  checked->probing = false;
  const TimePoint now = supervisor_.now();
  const int failures = instance->app.spec.health_failures;
  using Verdict = HealthTracker::Verdict;
  const Verdict verdict =
      error ? checked->tracker.on_fail(now, *error) : checked->tracker.on_pass(now);
  instance->health_failing = checked->tracker.failing();
  if (!error) {
    instance->health = "passing";
  } else if (checked->tracker.failing()) {
    instance->health = fmt::format("failing ({} of {} in a row): {}",
                                   checked->tracker.failures_in_a_row(), failures, *error);
  } else {
    instance->health = "starting (health_start_period): " + *error;
  }
  switch (verdict) {
    case Verdict::kReady:
      supervisor_.mark_ready(*instance, "its first health check passed");
      break;
    case Verdict::kRecovered:
      supervisor_.record(*instance, "health check passes again");
      break;
    case Verdict::kUnhealthy:
      // One stopping or still launching is being dealt with (or listen_timeout will).
      if (instance->status == Status::kOnline) {
        act_on_unhealthy(*checked);
      } else {
        checked->tracker.try_again();
      }
      break;
    case Verdict::kFailing:
      if (checked->tracker.failures_in_a_row() == 1) {
        supervisor_.record(*instance, "health check failed: " + *error);
      }
      break;
    case Verdict::kNothing:
      break;
  }
  // act_on_unhealthy may have restarted (and so forgotten) the instance.
  if (Checked* still = find(instance, pid)) {
    still->timer.start(instance->app.spec.health_interval, [this, instance] { due(instance); });
  }
}

void HealthChecks::act_on_unhealthy(Checked& checked) {
  Instance& instance = *checked.instance;
  const std::string name = instance.app.spec.name;
  const bool cluster = instance.app.spec.exec_mode == ExecMode::kCluster;
  const std::string why =
      fmt::format("unhealthy: {} health checks failed in a row (last: {}): {}",
                  checked.tracker.failures_in_a_row(), checked.tracker.last_error(),
                  cluster ? "replacing it" : "restarting");
  const bool ran = gate_.run_if_idle(
      "health check restart", AppScope::of({name}),
      [this, id = instance.id, pid = checked.pid, why, cluster](LifecycleGate::Hold hold) {
        Instance* target = supervisor_.find_instance(id);
        if (!target || target->pid != pid) return hold.release();
        supervisor_.record(*target, why, "unhealthy");
        if (cluster) {
          Reload::run(supervisor_, {id}, 1,
                      [this, id, hold](const std::vector<ReloadStep>&,
                                       const std::optional<std::string>& error) {
                        if (error) {
                          if (Instance* still = supervisor_.find_instance(id)) {
                            supervisor_.record(*still, "unhealthy replacement failed: " + *error);
                          }
                        }
                        hold.release();
                      });
          return;
        }
        supervisor_.restart({target}, [hold] { hold.release(); });
      });
  // Busy with another operation: the next failure asks again.
  if (!ran) checked.tracker.try_again();
}

}  // namespace cxpm
