// sendSignal: a signal the user chose to an instance's processes, the way a stop sends
// kill_signal (the process group, children that left it, the spawn's other processes), but
// with no timer and no change of state: what the app does with it is its own business.
#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

void Supervisor::send_signal(const std::vector<Instance*>& instances, int signal_number) {
  const ProcessTree tree = runner_->snapshot();
  for (Instance* instance : instances) {
    if (instance->pid <= 0) continue;
    if (instance->app.spec.treekill) {
      std::vector<pid_t> escaped;
      for (const auto& child : tree.descendants_of(instance->pid)) {
        if (child.group != instance->pid) escaped.push_back(child.pid);
      }
      runner_->signal(-instance->pid, signal_number);
      for (pid_t child : escaped) runner_->signal(child, signal_number);
      runner_->signal_outside_group(instance->spawn_tag, instance->pid, signal_number, escaped);
    } else {
      runner_->signal(instance->pid, signal_number);
    }
    record(*instance, "sent " + signal_name(signal_number) + " (sendSignal)");
  }
}

}  // namespace cxpm
