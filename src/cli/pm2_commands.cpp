// pm2's verbs that have no other home: prettylist, env, sendSignal (monit:
// monit_command.cpp).

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/jlist.hpp"
#include "cxpm/cli/targets.hpp"
#include "cxpm/config/instance_environment.hpp"
#include "cxpm/core/parse_number.hpp"
#include "cxpm/core/signal_names.hpp"

namespace cxpm {
namespace {

void add_prettylist(CLI::App& app, CommandContext& context) {
  app.add_subcommand("prettylist",
                     "Print every process as jlist does, in Node's notation (as pm2 does)")
      ->callback([&context] {
        Client client = *Client::connect(context.home);
        fmt::print("{}\n", inspect_notation(jlist_json(client)));
      });
}

void add_env(CLI::App& app, CommandContext& context) {
  auto* command =
      app.add_subcommand("env", "Print the environment a process was started with (KEY: value)");
  if (!context.builds(*command)) return;
  auto id = std::make_shared<std::string>();
  command->add_option("id", *id, "a process id (see `cxpm ls`)")->required();
  command->callback([&context, id] {
    if (!parse_whole<int>(*id)) {
      throw CliError("env takes a process id, got '" + *id + "' (see `cxpm ls` for ids)");
    }
    Client client = *Client::connect(context.home);
    TargetsArgs args;
    args.targets = {*id};
    for (const auto& process : client.call<method::Describe>(args).processes) {
      const Environment env =
          instance_environment(process.spec, process.info.instance, process.info.id);
      for (const auto& [name, value] : env) fmt::print("{}: {}\n", name, value);
    }
  });
}

void add_send_signal(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "sendSignal",
      "Send a signal to apps' processes (each process group, as stop sends kill_signal)");
  command->alias("send-signal");
  if (!context.builds(*command)) return;
  auto signal = std::make_shared<std::string>();
  auto targets = std::make_shared<std::vector<std::string>>();
  command->add_option("signal", *signal, "a name (SIGUSR2, USR2) or a number")->required();
  command->add_option("targets", *targets, "app names, ids, 'all', script paths or namespaces")
      ->required();
  command->callback([&context, signal, targets] {
    const auto name = canonical_signal_name(*signal);
    if (!name) {
      throw CliError("unknown signal '" + *signal +
                     "': give a name such as SIGUSR2 or USR2, or its number");
    }
    Client client = *Client::connect(context.home);
    SignalArgs args;
    args.signal = *name;
    args.targets = resolve_targets(client, *targets);
    for (const auto& process : client.call<method::SendSignal>(args).processes) {
      if (process.pid > 0) {
        fmt::print("sent {} to {} (id {}, pid {})\n", *name, process.name, process.id, process.pid);
      } else {
        fmt::print("{} (id {}) is not running: nothing sent\n", process.name, process.id);
      }
    }
  });
}

}  // namespace

void register_pm2_commands(CLI::App& app, CommandContext& context) {
  add_prettylist(app, context);
  add_env(app, context);
  add_send_signal(app, context);
}

}  // namespace cxpm
