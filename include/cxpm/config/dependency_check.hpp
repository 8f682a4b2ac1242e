#pragma once
// The checks of `depends_on` across apps (docs/dependencies.md), the same for the loader
// (which puts each problem at its file:line:column) and the daemon's start: every dependency
// names an app that exists, `healthy` only on an app with a health check, and no cycle.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

struct DependencyProblem {
  std::size_t app;         // index in the apps checked
  std::size_t dependency;  // index in that app's depends_on
  std::string message;     // "depends_on: ..."
};

// Known apps outside the ones checked (the daemon's): the spec of that name, or nullptr.
using OtherApps = std::function<const AppSpec*(const std::string& name)>;

// `missing_where` ends the message for an unknown app: "in this file".
std::vector<DependencyProblem> dependency_problems(const std::vector<AppSpec>& apps,
                                                   const OtherApps& others,
                                                   const std::string& missing_where);

}  // namespace cxpm
