#include "cxpm/cli/runtime_commands.hpp"

#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>

#include "cxpm/cli/client.hpp"

namespace cxpm {
namespace {

std::string base_name(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

// The runtime's home when none is set: ~/.cxpm-runtime, exported for the apps.
Home runtime_home() {
  if (const char* set = std::getenv("CXPM_HOME"); !set || !*set) {
    std::string home;
    if (const char* env = std::getenv("HOME"); env && *env) {
      home = env;
    } else if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_dir) {
      home = entry->pw_dir;
    } else {
      throw CliError("cannot find your home directory: set HOME or CXPM_HOME");
    }
    ::setenv("CXPM_HOME", (home + "/.cxpm-runtime").c_str(), 1);
  }
  return Home::from_environment();
}

RuntimeOutput output_of(const RuntimeFlags& flags) {
  if (int(flags.raw) + int(flags.json) + int(flags.formatted) > 1) {
    throw CliError("--raw, --json and --formatted choose one output; give only one");
  }
  if (flags.raw) return RuntimeOutput::kRaw;
  if (flags.json) return RuntimeOutput::kJson;
  return RuntimeOutput::kPrefixed;
}

}  // namespace

void add_runtime_flags(CLI::App& start, RuntimeFlags& flags) {
  start.add_flag("--no-daemon", flags.foreground,
                 "run the daemon in the foreground with these apps, printing their output, "
                 "until they end or SIGTERM (as cxpm-runtime, for containers)");
  start.add_flag("--raw", flags.raw, "--no-daemon: print the apps' lines as they are");
  start.add_flag("--json", flags.json, "--no-daemon: print each line as a JSON object");
  start.add_flag("--formatted", flags.formatted,
                 "--no-daemon: print each line after 'id|app | ' (the default)");
  start.add_flag("--no-auto-exit", flags.no_auto_exit,
                 "--no-daemon: keep running when every app has ended");
}

void check_runtime_flags(const RuntimeFlags& flags) {
  if (flags.foreground) return;
  if (flags.raw || flags.json || flags.formatted || flags.no_auto_exit) {
    throw CliError(
        "--raw, --json, --formatted and --no-auto-exit are for the runtime's output: give "
        "them with --no-daemon (or to cxpm-runtime)");
  }
}

bool is_runtime_flag(const std::string& name) {
  for (const char* flag : {"--no-daemon", "--raw", "--json", "--formatted", "--no-auto-exit"}) {
    if (name == flag) return true;
  }
  return false;
}

std::vector<std::string> runtime_command_line(int argc, char** argv) {
  std::vector<std::string> line(argv, argv + argc);
  if (argc < 1 || base_name(argv[0]) != kRuntimeName) return line;
  std::vector<std::string> out{line.front(), "start", "--no-daemon"};
  std::size_t first = 1;
  if (argc > 1 && line[1] == "start") first = 2;
  out.insert(out.end(), line.begin() + static_cast<std::ptrdiff_t>(first), line.end());
  return out;
}

void run_in_foreground(CommandContext& context, const std::vector<std::string>& targets,
                       const StartFlags& flags, const RuntimeFlags& runtime) {
  if (targets.empty()) {
    throw CliError(
        "--no-daemon: name the apps to run: an ecosystem file, a script or a program (e.g. "
        "`cxpm-runtime start ecosystem.yaml`)");
  }
  RuntimeSettings settings;
  settings.output = output_of(runtime);
  settings.auto_exit = !runtime.no_auto_exit;
  // Before the apps are read: their environment is this process's, CXPM_HOME included.
  const Home home = runtime_home();
  for (const auto& target : targets) {
    if (is_ecosystem_file(target)) {
      if (!flags.app_settings_given.empty()) {
        throw CliError(flags.app_settings_given.front() +
                       " sets up an app from a script; put the options in " + target);
      }
      for (auto& spec : load_ecosystem(target, flags)) settings.apps.push_back(std::move(spec));
    } else {
      settings.apps.push_back(spec_from_flags(target, flags));
    }
  }
  if (!flags.name().empty() && settings.apps.size() > 1) {
    throw CliError("--name names one app, but " + std::to_string(settings.apps.size()) +
                   " were given to start");
  }
  DaemonRequest request;
  request.runtime = std::move(settings);
  context.exit_code = context.run_daemon(home, request);
}

}  // namespace cxpm
