#include "cxpm/cli/start_flags.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cxpm/cli/client.hpp"
#include "cxpm/config/option_value.hpp"

namespace cxpm {
namespace {

enum class FlagKind { kText, kList, kSwitch };

FlagKind kind_of(const OptionInfo& option) {
  switch (option.type) {
    case OptionType::kBool:
    case OptionType::kWatch:  // --watch: the working directory
      return FlagKind::kSwitch;
    case OptionType::kStrings:
    case OptionType::kWords:
    case OptionType::kExitCodes:
    case OptionType::kListen:
      return FlagKind::kList;
    default:
      return FlagKind::kText;
  }
}

// One of the option's flags, by which CLI11 finds it.
std::string first_flag(const OptionInfo& option) {
  return std::string(option.flags.substr(0, option.flags.find(',')));
}

}  // namespace

std::string flag_display_name(const OptionInfo& option) {
  std::string name(option.flags);
  std::ranges::replace(name, ',', '/');
  return name;
}

void add_option_flags(CLI::App& command, OptionFlagValues& values) {
  for (const OptionInfo& option : app_options()) {
    if (option.flags.empty()) continue;
    const std::string flags(option.flags);
    const std::string help = option_help(option);
    switch (kind_of(option)) {
      case FlagKind::kText: {
        CLI::Option* added = command.add_option(flags, values.texts[option.name], help);
        // pm2's `-l` with no path: the combined log in its default place.
        if (option.type == OptionType::kCombinedLog) added->expected(0, 1);
        break;
      }
      case FlagKind::kList:
        command.add_option(flags, values.lists[option.name], help);
        break;
      case FlagKind::kSwitch:
        command.add_flag(flags, values.switches[option.name], help);
        break;
    }
  }
}

std::vector<GivenOption> given_options(const CLI::App& command, const OptionFlagValues& values) {
  std::vector<GivenOption> given;
  for (const OptionInfo& option : app_options()) {
    if (option.flags.empty()) continue;
    const CLI::Option* flag = command.get_option_no_throw(first_flag(option));
    if (!flag || flag->count() == 0) continue;
    switch (kind_of(option)) {
      case FlagKind::kText:
        given.push_back({&option, {values.texts.at(option.name)}});
        break;
      case FlagKind::kList:
        given.push_back({&option, values.lists.at(option.name)});
        break;
      case FlagKind::kSwitch:
        given.push_back({&option, {}});
        break;
    }
  }
  return given;
}

void apply_options(const std::vector<GivenOption>& given, const std::string& base, AppSpec& spec) {
  const ReadContext context{base, nullptr};
  const AppSpec defaults;
  for (const auto& [option, values] : given) {
    WrittenValue value;
    switch (kind_of(*option)) {
      case FlagKind::kText:
        value = WrittenValue::of_text(values.empty() ? "" : values.front());
        if (option->type == OptionType::kCombinedLog && (values.empty() || values[0].empty())) {
          value = WrittenValue::of_text("true");
        }
        break;
      case FlagKind::kList:
        value = WrittenValue::of_list(values);
        break;
      case FlagKind::kSwitch: {
        // A switch turns an option from its default: --no-autorestart, --wait-ready, --watch.
        bool on = true;
        if (option->type == OptionType::kBool) {
          on = !(defaults.*std::get<bool AppSpec::*>(option->field));
        }
        value = WrittenValue::of_text(on ? "true" : "false");
        break;
      }
    }
    if (auto problem = read_option(*option, value, context, spec)) {
      throw CliError(flag_display_name(*option) + ": " + *problem);
    }
  }
}

}  // namespace cxpm
