#include "cxpm/cli/cli.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/render.hpp"
#include "cxpm/cli/runtime_commands.hpp"
#include "cxpm/cli/versions.hpp"
#include "cxpm/core/build_info.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {

bool CommandContext::builds(const CLI::App& command) const {
  return verb.empty() || verb == kGenerateVerb || command.check_name(verb);
}

namespace {

bool every_command(const CLI::App*) {
  return true;
}

// Edits between two words, a swap of neighbours counting as one ("lsit" is one from "list"),
// case ignored ("sendsignal" is "sendSignal").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// "unknown command 'strat'; did you mean 'start'?": the nearest command name or alias, when
// it is near enough to be what was meant.
std::string unknown_command_message(const CLI::App& app, const std::string& verb) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const CLI::App* command : app.get_subcommands(every_command)) {
    std::vector<std::string> names = command->get_aliases();
    names.push_back(command->get_name());
    for (const auto& name : names) {
      std::size_t distance = edit_distance(verb, name);
      if (verb.size() >= 3 && name.starts_with(verb)) distance = std::min<std::size_t>(distance, 1);
      if (distance < best_distance) {
        best = name;
        best_distance = distance;
      }
    }
  }
  const std::size_t allowed = verb.size() <= 4 ? 1 : 2;
  std::string message = "unknown command '" + verb + "'";
  message += best_distance <= allowed ? "; did you mean '" + best + "'?" : std::string(".");
  return message + " See `cxpm --help` for the commands.";
}

}  // namespace

int run_cli(int argc, char** argv,
            std::function<int(const Home&, const DaemonRequest&)> run_daemon) {
  // cxpm-runtime is `cxpm start --no-daemon` (runtime_commands.hpp).
  std::vector<std::string> line = runtime_command_line(argc, argv);
  std::vector<char*> line_argv;
  for (auto& word : line) line_argv.push_back(word.data());
  line_argv.push_back(nullptr);
  if (line.size() != static_cast<std::size_t>(argc)) {
    argc = static_cast<int>(line.size());
    argv = line_argv.data();
  }
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
  register_event_commands(app, context);
  register_web_commands(app, context);
  register_persistence_commands(app, context);
  register_startup_commands(app, context);
  register_pm2_commands(app, context);
  register_generate_commands(app, context);
  register_update_command(app, context);

  // CLI11 would say "A subcommand is required" (exit 106), which reads like a mistake in the
  // flags; a word that is no command is named as such.
  if (!context.verb.empty()) {
    const auto commands = std::as_const(app).get_subcommands(every_command);
    const bool known = std::ranges::any_of(
        commands, [&](const CLI::App* command) { return command->check_name(context.verb); });
    if (!known) {
      fmt::print(stderr, "cxpm: {}\n", unknown_command_message(app, context.verb));
      return 2;
    }
  }

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
