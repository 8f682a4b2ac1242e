#pragma once
// Command groups register their subcommands here; each file holds one group.

#include <functional>
#include <string>
#include <vector>

#include "cxpm/cli/cli.hpp"
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
  std::function<int(const Home&, const DaemonRequest&)> run_daemon;
  std::string verb;  // the subcommand typed (its name or alias), "" for none
  int exit_code = 0;

  // Whether `command` is the one typed (or none was, as for --help): a command with many
  // options builds them only then, since CLI11 checks each new option against every other
  // one and that quadratic cost would otherwise be paid by every `cxpm ls`.
  bool builds(const CLI::App& command) const;
};

void register_process_commands(CLI::App& app, CommandContext& context);
// restart, reload, startOrRestart, startOrReload, init.
void register_ecosystem_commands(CLI::App& app, CommandContext& context);
// init (alias ecosystem): a starter file in YAML or pm2's JavaScript; `convert` a file to YAML.
void register_init_commands(CLI::App& app, CommandContext& context);
void register_daemon_commands(CLI::App& app, CommandContext& context);
void register_log_commands(CLI::App& app, CommandContext& context);
// Follows the apps' new log lines until interrupted (start --attach).
void follow_logs(CommandContext& context, const std::vector<std::string>& targets);
// events.
void register_event_commands(CLI::App& app, CommandContext& context);
// save (dump), resurrect, cleardump.
void register_persistence_commands(CLI::App& app, CommandContext& context);
// startup, unstartup.
void register_startup_commands(CLI::App& app, CommandContext& context);
// prettylist, env, sendSignal, monit.
void register_pm2_commands(CLI::App& app, CommandContext& context);
// Hidden: __generate (man page, completions, packaged units), __app-names (completion).
void register_generate_commands(CLI::App& app, CommandContext& context);
// The verb that describes every command, so every command builds its options for it.
inline constexpr const char* kGenerateVerb = "__generate";
// update: hand the running apps over to another binary (update_command.cpp).
void register_update_command(CLI::App& app, CommandContext& context);
// web: the daemon's HTTP server (web_commands.cpp).
void register_web_commands(CLI::App& app, CommandContext& context);

}  // namespace cxpm
