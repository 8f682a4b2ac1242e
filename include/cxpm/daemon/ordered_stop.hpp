#pragma once
// Stopping (or deleting) several apps at once in `depends_on` order (docs/dependencies.md):
// the apps that depend on others first, what they depend on once those are stopped. Apps with
// no dependency between them stop together, as before.

#include <functional>
#include <vector>

#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

enum class StopKind { kStop, kRemove };

// `done` once every wave is stopped (or removed). Instances are found again by id between
// waves: one that went meanwhile is skipped.
void stop_dependents_first(Supervisor& supervisor, const std::vector<Instance*>& instances,
                           StopKind kind, std::function<void()> done);

}  // namespace cxpm
