// Connection steering and draining: which workers the kernel hands new connections to (see
// reuseport_steering.hpp), and a retiring worker's drain before it is signalled (see
// connection_drain.hpp).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/protocol/saved_state.hpp"

namespace cxpm {
namespace {

bool is_steered(const AppSpec& spec) {
  return spec.exec_mode == ExecMode::kCluster && spec.socket_mode == SocketMode::kReuseport;
}

std::string migrate_setting() {
  std::ifstream setting("/proc/sys/net/ipv4/tcp_migrate_req");
  std::string value;
  if (!(setting >> value)) return "tcp_migrate_req: not in this kernel";
  return "tcp_migrate_req " + value;
}

}  // namespace

void Supervisor::steer(const App& app) {
  if (!is_steered(app.spec)) return;
  std::vector<SocketOwner> accepting;
  for (const auto& instance : app.instances) {
    if (instance->steered_in) accepting.push_back({instance->index, instance->socket_generation});
  }
  sockets_.steering().steer(app.spec.name, std::move(accepting));
}

void Supervisor::steer_in(Instance& instance) {
  if (instance.steered_in) return;
  instance.steered_in = true;
  steer(instance.app);
}

void Supervisor::steer_out(const std::vector<Instance*>& instances) {
  std::vector<const App*> changed;
  for (auto* instance : instances) {
    if (!instance->steered_in) continue;
    instance->steered_in = false;
    if (std::ranges::find(changed, &instance->app) == changed.end()) {
      changed.push_back(&instance->app);
    }
  }
  for (const auto* app : changed) steer(*app);
}

bool Supervisor::can_drain(const Instance& instance) {
  const AppSpec& spec = instance.app.spec;
  return is_steered(spec) && spec.drain_timeout.count() > 0 && instance.pid > 0 &&
         instance.status == Status::kOnline &&
         sockets_.steering().others_accept(spec.name, {instance.index, instance.socket_generation});
}

void Supervisor::begin_drain(Instance& instance) {
  const AppSpec& spec = instance.app.spec;
  std::vector<pid_t> holders{instance.pid};
  for (const auto& child : runner_->snapshot().descendants_of(instance.pid)) {
    holders.push_back(child.pid);
  }
  record(instance,
         "draining: no new connections; signalled once its connections are answered "
         "(drain_timeout " +
             std::to_string(spec.drain_timeout.count()) + " ms)");
  DrainSettings settings;
  settings.timeout = spec.drain_timeout;
  instance.drain = std::make_unique<ConnectionDrain>(
      *timers_, sockets_.sockets_of(spec.name, {instance.index, instance.socket_generation}),
      std::move(holders), settings,
      [this, &instance](DrainProgress::Verdict verdict, Milliseconds took) {
        const std::string state = instance.drain->state();
        instance.drained_ms = took.count();
        record(instance, verdict == DrainProgress::Verdict::kTimedOut
                             ? "drain_timeout passed (" + state + "): stopping it anyway"
                             : "drained in " + std::to_string(took.count()) + " ms");
        instance.drain.reset();  // this callback's owner: nothing of it is touched after
        send_stop_signal(instance, runner_->snapshot());
      });
}

std::vector<SavedSocketGroup> Supervisor::socket_groups() const {
  std::vector<SavedSocketGroup> out;
  for (const auto& group : sockets_.steering().orders()) {
    SavedSocketGroup saved{group.app, group.address, {}};
    for (const auto& owner : group.sockets)
      saved.sockets.emplace_back(owner.slot, owner.generation);
    out.push_back(std::move(saved));
  }
  return out;
}

void Supervisor::restore_socket_groups(const std::vector<SavedSocketGroup>& groups) {
  for (const auto& saved : groups) {
    ReuseportSteering::GroupOrder order{saved.app, saved.address, {}};
    for (const auto& [slot, generation] : saved.sockets)
      order.sockets.push_back({slot, generation});
    if (sockets_.steering().restore_order(order)) {
      spdlog::info("{}: connections to {} are steered again, in the earlier daemon's order",
                   saved.app, saved.address);
    }
  }
}

std::string Supervisor::connection_steering(const App& app) {
  const AppSpec& spec = app.spec;
  if (spec.exec_mode != ExecMode::kCluster) return {};
  if (spec.socket_mode == SocketMode::kShared) {
    return "off: shared socket mode (one queue for every worker), so retiring workers are "
           "signalled without draining";
  }
  const std::string problem = sockets_.steering().problem(spec.name);
  if (!problem.empty()) {
    return "off: " + problem + ", so retiring workers are signalled without draining";
  }
  const std::string summary = sockets_.steering().summary(spec.name);
  if (summary.empty()) return "none yet (no TCP socket listening)";
  const std::string drain = spec.drain_timeout.count() > 0
                                ? "retiring workers drain first (drain_timeout " +
                                      std::to_string(spec.drain_timeout.count()) + " ms)"
                                : "drain_timeout 0: retiring workers are signalled at once";
  return "cBPF on the reuseport group, " + summary + "; " + drain + "; " + migrate_setting();
}

}  // namespace cxpm
