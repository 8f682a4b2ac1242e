#include "cxpm/daemon/ordered_stop.hpp"

#include <algorithm>
#include <memory>

#include "cxpm/core/dependency_graph.hpp"

namespace cxpm {
namespace {

struct Waves {
  Supervisor& supervisor;
  StopKind kind;
  std::vector<std::vector<int>> ids;  // per wave, in stop order
  std::size_t next = 0;
  std::function<void()> done;
};

void run_wave(const std::shared_ptr<Waves>& waves) {
  if (waves->next == waves->ids.size()) {
    auto done = std::move(waves->done);
    return done();
  }
  std::vector<Instance*> instances;
  for (int id : waves->ids[waves->next]) {
    if (Instance* instance = waves->supervisor.find_instance(id)) instances.push_back(instance);
  }
  ++waves->next;
  auto then = [waves] { run_wave(waves); };
  if (waves->kind == StopKind::kRemove) {
    waves->supervisor.remove(instances, then);
  } else {
    waves->supervisor.stop(instances, then);
  }
}

}  // namespace

void stop_dependents_first(Supervisor& supervisor, const std::vector<Instance*>& instances,
                           StopKind kind, std::function<void()> done) {
  // The apps among the instances, in their order, and which of their instances go.
  std::vector<const App*> apps;
  std::vector<std::vector<int>> ids_of_app;
  for (Instance* instance : instances) {
    const auto found = std::ranges::find(apps, &instance->app);
    if (found == apps.end()) {
      apps.push_back(&instance->app);
      ids_of_app.push_back({instance->id});
    } else {
      ids_of_app[static_cast<std::size_t>(found - apps.begin())].push_back(instance->id);
    }
  }
  std::vector<DependencyNode> nodes;
  for (const App* app : apps) {
    DependencyNode node{app->spec.name, {}};
    for (const auto& dependency : app->spec.depends_on) node.depends_on.push_back(dependency.app);
    nodes.push_back(std::move(node));
  }
  auto waves = std::make_shared<Waves>(Waves{supervisor, kind, {}, 0, std::move(done)});
  // Specs that came over the wire were checked for cycles at start, but a restart with new
  // settings can join two apps started apart into one; then they stop together.
  if (!find_dependency_cycle(nodes).empty()) {
    waves->ids.emplace_back();
    for (const auto& ids : ids_of_app) {
      waves->ids.back().insert(waves->ids.back().end(), ids.begin(), ids.end());
    }
  } else {
    for (const auto& wave : dependency_waves(nodes, /*dependents_first=*/true)) {
      std::vector<int> ids;
      for (std::size_t app : wave) {
        ids.insert(ids.end(), ids_of_app[app].begin(), ids_of_app[app].end());
      }
      waves->ids.push_back(std::move(ids));
    }
  }
  if (waves->ids.empty()) waves->ids.emplace_back();  // nothing to stop: done, as stop() does
  run_wave(waves);
}

}  // namespace cxpm
