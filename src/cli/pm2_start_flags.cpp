#include "cxpm/cli/pm2_start_flags.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <utility>

namespace cxpm {
namespace {

constexpr const char* kNoEffect = "accepted for pm2's sake; no effect in cxpm";

}  // namespace

void add_pm2_start_flags(CLI::App& start, Pm2StartFlags& flags) {
  start.add_flag("-f,--force", flags.force,
                 "an app of that name exists: add another copy of it (one instance more; -i N: "
                 "N more), as pm2 starts a second process under the same name");
  start.add_flag("--attach", flags.attach,
                 "after starting, follow the apps' logs until Ctrl-C (the apps keep running)");
  start.add_flag("--no-vizion", flags.no_vizion, kNoEffect);
  start.add_flag("--source-map-support", flags.source_map_support, kNoEffect);
  start.add_flag("--no-pmx", flags.no_pmx, kNoEffect);
  start.add_flag("--disable-trace", flags.disable_trace, kNoEffect);
}

bool is_pm2_start_flag(const std::string& name) {
  for (const char* flag : {"--force", "--attach", "--no-vizion", "--source-map-support", "--no-pmx",
                           "--disable-trace"}) {
    if (name == flag) return true;
  }
  return false;
}

void warn_ignored_pm2_flags(const Pm2StartFlags& flags) {
  std::string given;
  for (const auto& [on, name] :
       {std::pair{flags.no_vizion, "--no-vizion"},
        std::pair{flags.source_map_support, "--source-map-support"},
        std::pair{flags.no_pmx, "--no-pmx"}, std::pair{flags.disable_trace, "--disable-trace"}}) {
    if (on) given += fmt::format("{}{}", given.empty() ? "" : ", ", name);
  }
  if (given.empty()) return;
  fmt::print(stderr, "cxpm: warning: {}: pm2's Node.js internals; no effect in cxpm\n", given);
}

}  // namespace cxpm
