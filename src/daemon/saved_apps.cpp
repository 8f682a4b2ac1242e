#include "cxpm/daemon/saved_apps.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "cxpm/core/dependency_graph.hpp"
#include "cxpm/daemon/app_features.hpp"
#include "cxpm/daemon/dump_file.hpp"

namespace cxpm {

namespace {

// What an app depends on (depends_on) is started before it; a resurrect does not wait for
// the conditions, only keeps the order. A list with a cycle (not one a start accepted) keeps
// its own order.
std::vector<AppSpec> dependencies_first(std::vector<AppSpec> apps) {
  std::vector<DependencyNode> nodes;
  for (const auto& spec : apps) {
    DependencyNode node{spec.name, {}};
    for (const auto& dependency : spec.depends_on) node.depends_on.push_back(dependency.app);
    nodes.push_back(std::move(node));
  }
  if (!find_dependency_cycle(nodes).empty()) return apps;
  std::vector<AppSpec> ordered;
  ordered.reserve(apps.size());
  for (const auto& wave : dependency_waves(nodes)) {
    for (std::size_t index : wave) ordered.push_back(std::move(apps[index]));
  }
  return ordered;
}

}  // namespace

ResurrectOutcome start_saved_apps(Supervisor& supervisor, std::vector<AppSpec> apps) {
  ResurrectOutcome outcome;
  apps = dependencies_first(std::move(apps));
  for (auto& spec : apps) {
    const std::string name = spec.name;
    if (supervisor.find_app(name)) {
      outcome.skipped.push_back(name);
      continue;
    }
    // The daemon's checks of `start`: a user or a cron pattern valid when saved may not be now.
    if (auto problem = daemon_spec_problem(spec)) {
      outcome.failed.push_back({name, *problem});
      continue;
    }
    if (auto error = supervisor.add_app(std::move(spec))) {
      outcome.failed.push_back({name, *error});
      continue;
    }
    for (auto& instance : supervisor.find_app(name)->instances) {
      outcome.ids.push_back(instance->id);
    }
  }
  for (const auto& failure : outcome.failed) {
    spdlog::error("resurrect: app '{}' did not start: {}", failure.name, failure.error);
  }
  return outcome;
}

std::string resurrect_at_start(Supervisor& supervisor, const Home& home) {
  std::vector<AppSpec> apps;
  try {
    auto text = read_dump_file(home);
    if (!text) {
      spdlog::info("resurrect: no saved list at {}; starting with no apps", home.dump_path());
      return "no saved list; no apps started";
    }
    apps = dump_from_text(*text).apps;
  } catch (const std::exception& error) {
    spdlog::error("resurrect: cannot read the saved list: {}; starting with no apps", error.what());
    return std::string("the saved list cannot be read: ") + error.what();
  }
  const std::size_t saved = apps.size();
  const auto outcome = start_saved_apps(supervisor, std::move(apps));
  const std::string status =
      std::to_string(saved - outcome.failed.size() - outcome.skipped.size()) + " of " +
      std::to_string(saved) + " saved app(s) started";
  spdlog::info("resurrect: {}", status);
  return status;
}

void run_off_loop(uv_loop_t* loop, std::function<void()> work,
                  std::function<void(const std::string& error)> done) {
  struct Job {
    uv_work_t request{};
    std::function<void()> work;
    std::function<void(const std::string&)> done;
    std::string error;
  };
  auto job = std::make_unique<Job>();
  job->request.data = job.get();
  job->work = std::move(work);
  job->done = std::move(done);
  const int status = uv_queue_work(
      loop, &job->request,
      [](uv_work_t* request) {
        auto& job = *static_cast<Job*>(request->data);
        try {
          job.work();
        } catch (const std::exception& error) {
          job.error = error.what();
        }
      },
      [](uv_work_t* request, int) {
        std::unique_ptr<Job> job(static_cast<Job*>(request->data));
        job->done(job->error);
      });
  if (status != 0) {
    job->done(std::string("cannot queue the work: ") + uv_strerror(status));
    return;
  }
  job.release();  // owned by the request until its after-callback
}

}  // namespace cxpm
