// Hidden commands for packaging and shells:
//   cxpm __generate DIR   writes the man page, the completions and the packaged systemd units,
//                         read from the CLI's own definitions and config/systemd_unit, so the
//                         package never says something the binary does not do (run at build
//                         time by cmake/Packaging.cmake);
//   cxpm __app-names      the running daemon's app names, one a line, for completion: it never
//                         starts a daemon, and prints nothing when none answers.

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <set>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/command_docs.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/config/systemd_unit.hpp"
#include "cxpm/core/build_info.hpp"

namespace cxpm {
namespace {

struct GenerateFlags {
  std::string directory;
  std::string executable = "/usr/bin/cxpm";
  std::string path_env = "/usr/local/bin:/usr/bin:/bin";
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw CliError("cannot write " + path);
}

std::string unit_text(const GenerateFlags& flags, UnitKind kind) {
  BootUnit unit;
  unit.path_env = flags.path_env;
  unit.executable = flags.executable;
  unit.version = kBuildVersion;
  unit.kind = kind;
  try {
    return systemd_unit_text(unit);
  } catch (const std::invalid_argument& error) {
    throw CliError(std::string("__generate: ") + error.what());
  }
}

void generate(const CLI::App& app, const GenerateFlags& flags) {
  struct stat info {};
  if (::stat(flags.directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw CliError("__generate: " + flags.directory + " is not a directory");
  }
  const CliDoc cli = describe_cli(app);
  const std::string dir = flags.directory + "/";
  write_file(dir + "cxpm.1", man_page(cli, kBuildVersion));
  write_file(dir + "cxpm.bash-completion", bash_completion(cli));
  write_file(dir + "_cxpm", zsh_completion(cli));
  write_file(dir + "cxpm@.service", unit_text(flags, UnitKind::user_template));
  write_file(dir + "cxpm.service", unit_text(flags, UnitKind::user_manager));
}

void print_app_names(const CommandContext& context) {
  auto client = Client::connect(context.home, /*autostart=*/false);
  if (!client) return;
  std::set<std::string> names;
  for (const auto& process : client->call<method::List>().processes) names.insert(process.name);
  for (const auto& name : names) fmt::print("{}\n", name);
}

}  // namespace

void register_generate_commands(CLI::App& app, CommandContext& context) {
  auto* generate_command = app.add_subcommand(
      kGenerateVerb, "Write cxpm.1, completions and systemd units into DIR (packaging)");
  generate_command->group("");
  auto flags = std::make_shared<GenerateFlags>();
  generate_command->add_option("directory", flags->directory, "where to write")->required();
  generate_command->add_option("--executable", flags->executable,
                               "the installed cxpm, for the units' ExecStart");
  generate_command->add_option("--path", flags->path_env, "the units' PATH");
  generate_command->callback([&app, flags] { generate(app, *flags); });

  auto* names_command =
      app.add_subcommand("__app-names", "The running daemon's app names (shell completion)");
  names_command->group("");
  names_command->callback([&context] {
    try {
      print_app_names(context);
    } catch (const std::exception&) {
      // A completion never shows an error: no names is the answer.
    }
  });
}

}  // namespace cxpm
