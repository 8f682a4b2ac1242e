#include "cxpm/cli/cli.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/render.hpp"
#include "cxpm/cli/versions.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {

bool CommandContext::builds(const CLI::App& command) const {
  return verb.empty() || command.check_name(verb);
}

int run_cli(int argc, char** argv,
            std::function<int(const Home&, const DaemonRequest&)> run_daemon) {
  // Everything after the first "--" belongs to the app, never to cxpm.
  int own_argc = argc;
  std::vector<std::string> app_args;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) {
      own_argc = i;
      app_args.assign(argv + i + 1, argv + argc);
      break;
    }
  }

  CLI::App app{
      "cxpm — a process manager and cluster supervisor for programs in any language.\n"
      "Apps run under a background daemon (started on first use) that restarts them when they\n"
      "crash and keeps their logs. State lives in $CXPM_HOME (default ~/.cxpm)."};
  app.require_subcommand(1);
  app.fallthrough();

  CommandContext context{Home::from_environment(), Style::for_stream(stdout),
                         Style::for_stream(stderr), std::move(app_args), std::move(run_daemon)};
  // With the running daemon's and keeper's versions when they differ (never starting one).
  app.set_version_flag("-v,--version", std::function<std::string()>(
                                           [&context] { return version_text(context.home); }));
  for (int i = 1; i < own_argc && context.verb.empty(); ++i) {
    if (argv[i][0] != '-') context.verb = argv[i];
  }
  register_process_commands(app, context);
  register_ecosystem_commands(app, context);
  register_daemon_commands(app, context);
  register_log_commands(app, context);
  register_persistence_commands(app, context);
  register_startup_commands(app, context);
  register_update_command(app, context);

  try {
    app.parse(own_argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const CliError& error) {
    fmt::print(stderr, "cxpm: {}\n", error.what());
    return 1;
  } catch (const std::exception& error) {
    fmt::print(stderr, "cxpm: {}\n", error.what());
    return 1;
  }
  return context.exit_code;
}

}  // namespace cxpm
