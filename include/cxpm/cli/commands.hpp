#pragma once
// Command groups register their subcommands here; each file holds one group.

#include <functional>
#include <string>
#include <vector>

#include "cxpm/cli/render.hpp"
#include "cxpm/sys/home.hpp"

namespace CLI {
class App;
}

namespace cxpm {

struct CommandContext {
  Home home;
  Style out_style;
  Style error_style;
  std::vector<std::string> app_args;  // after "--"
  std::function<int(const Home&)> run_daemon;
  int exit_code = 0;
};

void register_process_commands(CLI::App& app, CommandContext& context);
// restart, reload, startOrRestart, startOrReload, init.
void register_ecosystem_commands(CLI::App& app, CommandContext& context);
void register_daemon_commands(CLI::App& app, CommandContext& context);
void register_log_commands(CLI::App& app, CommandContext& context);

}  // namespace cxpm
