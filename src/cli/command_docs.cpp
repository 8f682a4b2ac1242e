#include "cxpm/cli/command_docs.hpp"

#include <CLI/CLI.hpp>

namespace cxpm {
namespace {

OptionDoc option_doc(const CLI::Option& option) {
  OptionDoc doc;
  for (const auto& name : option.get_snames()) doc.names.push_back("-" + name);
  for (const auto& name : option.get_lnames()) doc.names.push_back("--" + name);
  if (option.get_positional() && doc.names.empty()) doc.names.push_back(option.get_name(true));
  // A flag expects no value.
  if (option.get_items_expected_max() > 0) {
    // "INT:INT in [1 - 600]": the type, without the validator's words.
    const std::string type = option.get_type_name();
    doc.value = type.empty() ? "VALUE" : type.substr(0, type.find(':'));
  }
  doc.description = option.get_description();
  doc.repeats = option.get_items_expected_max() > 1;
  return doc;
}

void read_options(const CLI::App& app, std::vector<OptionDoc>& options,
                  std::vector<OptionDoc>* positionals) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    if (!option->nonpositional()) {
      if (positionals) positionals->push_back(option_doc(*option));
      continue;
    }
    options.push_back(option_doc(*option));
  }
}

}  // namespace

CliDoc describe_cli(const CLI::App& app) {
  CliDoc cli;
  cli.description = app.get_description();
  read_options(app, cli.options, nullptr);
  const auto visible = [](const CLI::App* command) {
    return !command->get_name().empty() && !command->get_group().empty();
  };
  for (const CLI::App* command : app.get_subcommands(visible)) {
    CommandDoc doc;
    doc.name = command->get_name();
    doc.aliases = command->get_aliases();
    doc.description = command->get_description();
    read_options(*command, doc.options, &doc.positionals);
    cli.commands.push_back(std::move(doc));
  }
  return cli;
}

}  // namespace cxpm
