#include "cxpm/cli/command_docs.hpp"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace cxpm {
namespace {

struct SmallCli {
  CLI::App app{"demo — a small command line.\n.dot at a line start"};
  std::vector<std::string> targets;
  int instances = 0;
  bool flag = false;
  std::string hidden;

  SmallCli() {
    app.set_version_flag("-v,--version", "demo 1");
    auto* start = app.add_subcommand("start", "Start things [now]: quickly");
    start->alias("run");
    start->add_option("targets", targets, "what to start");
    start->add_option("-i,--instances", instances, "how many");
    start->add_flag("--watch", flag, "restart on change");
    start->add_option("--secret", hidden, "not shown")->group("");
    app.add_subcommand("ls", "The table");
    app.add_subcommand("__internal", "hidden")->group("");
  }
};

TEST_CASE("describe_cli reads commands, aliases, positionals and options, not hidden ones") {
  SmallCli small;
  const CliDoc cli = describe_cli(small.app);
  REQUIRE(cli.commands.size() == 2);
  const CommandDoc& start = cli.commands[0];
  CHECK(start.name == "start");
  CHECK(start.aliases == std::vector<std::string>{"run"});
  REQUIRE(start.positionals.size() == 1);
  CHECK(start.positionals[0].names == std::vector<std::string>{"targets"});
  CHECK(start.positionals[0].repeats);
  std::vector<std::string> names;
  for (const auto& option : start.options) {
    for (const auto& name : option.names) names.push_back(name);
  }
  CHECK(std::find(names.begin(), names.end(), "--instances") != names.end());
  CHECK(std::find(names.begin(), names.end(), "-i") != names.end());
  CHECK(std::find(names.begin(), names.end(), "--secret") == names.end());
  for (const auto& option : start.options) {
    if (option.names.back() == "--watch") CHECK(option.value.empty());
    if (option.names.back() == "--instances") CHECK_FALSE(option.value.empty());
  }
  CHECK(cli.commands[1].name == "ls");
}

TEST_CASE("the man page has every command and option, escaped for roff") {
  SmallCli small;
  const std::string page = man_page(describe_cli(small.app), "1.2.3");
  CHECK(page.find(".TH CXPM 1 \"\" \"cxpm 1.2.3\"") != std::string::npos);
  CHECK(page.find(".SS \"start\"") != std::string::npos);
  CHECK(page.find("[\\fItargets\\fR...]") != std::string::npos);
  CHECK(page.find(".SS \"ls\"") != std::string::npos);
  CHECK(page.find("\\fB\\-\\-instances\\fR \\fI") != std::string::npos);
  CHECK(page.find("\\fBrun\\fR") != std::string::npos);
  CHECK(page.find("\n\\&.dot at a line start") != std::string::npos);
  CHECK(page.find("__internal") == std::string::npos);
  CHECK(page.find("--secret") == std::string::npos);
}

TEST_CASE("completions offer commands, aliases and flags, and ask the daemon for app names") {
  SmallCli small;
  const CliDoc cli = describe_cli(small.app);
  const std::string bash = bash_completion(cli);
  CHECK(bash.find("compgen -W 'start run ls") != std::string::npos);
  CHECK(bash.find("start|run)") != std::string::npos);
  CHECK(bash.find("--watch") != std::string::npos);
  CHECK(bash.find("cxpm __app-names") != std::string::npos);
  CHECK(bash.find("complete -o filenames -F _cxpm cxpm") != std::string::npos);

  const std::string zsh = zsh_completion(cli);
  CHECK(zsh.starts_with("#compdef cxpm\n"));
  CHECK(zsh.find("'start:Start things (now), quickly'") != std::string::npos);
  CHECK(zsh.find("'run:Start things (now), quickly'") != std::string::npos);
  CHECK(zsh.find("'--instances[how many]:INT:_files'") != std::string::npos);
  CHECK(zsh.find("'--watch[restart on change]'") != std::string::npos);
  CHECK(zsh.find("cxpm __app-names") != std::string::npos);
}

}  // namespace
}  // namespace cxpm
