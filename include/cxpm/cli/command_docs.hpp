#pragma once
// The command line described as data, read from the CLI's own definitions: the man page and
// the shell completions are generated from it at build time (`cxpm __generate`), so neither
// can drift from what `--help` says.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cxpm {

struct OptionDoc {
  std::vector<std::string> names;  // "-i", "--instances"
  std::string value;               // "INT", "TEXT", …; empty for a flag
  std::string description;
  bool repeats = false;  // takes several values ("targets...")
};

struct CommandDoc {
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  std::vector<OptionDoc> positionals;  // names without dashes ("targets")
  std::vector<OptionDoc> options;
};

struct CliDoc {
  std::string description;
  std::vector<OptionDoc> options;  // cxpm's own (--help, --version)
  std::vector<CommandDoc> commands;
};

// Every visible command with its options; commands in a hidden group ("") are left out.
CliDoc describe_cli(const CLI::App& app);

// man(7) roff for cxpm(1).
std::string man_page(const CliDoc& cli, const std::string& version);

// Completion scripts: commands, aliases, each command's flags, and app names, which they ask
// the running daemon for with `cxpm __app-names` (never starting one).
std::string bash_completion(const CliDoc& cli);
std::string zsh_completion(const CliDoc& cli);

}  // namespace cxpm
