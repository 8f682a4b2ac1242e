#pragma once
// pm2's `start` flags that are behaviour of the command rather than app options (those come
// from the option table, start_flags.hpp): -f/--force and --attach, and the flags for pm2's
// Node internals, accepted with no effect so deploy scripts written for pm2 run unchanged.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cxpm {

struct Pm2StartFlags {
  bool force = false;   // -f: an app of that name already runs: add another copy of it
  bool attach = false;  // --attach: follow the started apps' logs until Ctrl-C
  bool no_vizion = false;
  bool source_map_support = false;
  bool no_pmx = false;
  bool disable_trace = false;
};

void add_pm2_start_flags(CLI::App& start, Pm2StartFlags& flags);
// Whether `name` (a flag's CLI11 name) is one of them: none describes how to run an app.
bool is_pm2_start_flag(const std::string& name);
// One line on stderr naming the flags given that have no effect in cxpm, if any.
void warn_ignored_pm2_flags(const Pm2StartFlags& flags);

}  // namespace cxpm
