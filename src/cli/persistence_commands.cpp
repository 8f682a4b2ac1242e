// save (dump), resurrect, cleardump: the list of apps to bring back, kept by the daemon in
// $CXPM_HOME/dump.json.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/render.hpp"
#include "cxpm/protocol/methods.hpp"

namespace cxpm {
namespace {

void add_save(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "save",
      "Save the apps the daemon runs (settings, environment, instances, listen addresses) to "
      "$CXPM_HOME/dump.json, for `cxpm resurrect` and for the boot unit of `cxpm startup`");
  command->alias("dump");
  auto request = std::make_shared<SaveArgs>();
  command->add_flag("--force", request->force,
                    "Save even an empty list (refused otherwise: it would bring nothing back)");
  command->callback([&context, request] {
    Client client = *Client::connect(context.home);
    const auto reply = client.call<method::Save>(*request);
    fmt::print("saved {} app(s), {} process(es), to {}\n", reply.apps, reply.instances, reply.path);
  });
}

void add_resurrect(CLI::App& app, CommandContext& context) {
  app.add_subcommand("resurrect",
                     "Start the saved apps (cxpm save) that the daemon does not have, with their "
                     "saved settings and environment; apps it has are left as they are")
      ->callback([&context] {
        Client client = *Client::connect(context.home);
        const auto reply = client.call<method::Resurrect>();
        if (!reply.had_dump) {
          fmt::print(stderr,
                     "no saved list in {}: nothing to resurrect (save one with `cxpm "
                     "save`)\n",
                     context.home.dump_path());
        }
        for (const auto& name : reply.skipped) {
          fmt::print(stderr, "{}: already in the list, left as it is\n", name);
        }
        for (const auto& failure : reply.failed) {
          fmt::print(stderr, "{}: did not start: {}\n", failure.name, failure.error);
        }
        fmt::print("{}", render_table(client.call<method::List>().processes, context.out_style));
        if (!reply.failed.empty()) context.exit_code = 1;
      });
}

void add_cleardump(CLI::App& app, CommandContext& context) {
  app.add_subcommand("cleardump",
                     "Empty the saved list (dump.json): nothing comes back at the next "
                     "resurrect or boot; running apps are not touched")
      ->callback([&context] {
        Client client = *Client::connect(context.home);
        const auto reply = client.call<method::ClearDump>();
        fmt::print("emptied the saved list {}\n", reply.path);
      });
}

}  // namespace

void register_persistence_commands(CLI::App& app, CommandContext& context) {
  add_save(app, context);
  add_resurrect(app, context);
  add_cleardump(app, context);
}

}  // namespace cxpm
