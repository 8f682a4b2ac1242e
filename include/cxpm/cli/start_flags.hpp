#pragma once
// The start flags that set app options, generated from the option table
// (config/app_options.hpp) and read with the same reading and checks as an ecosystem file.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/app_options.hpp"

namespace CLI {
class App;
}

namespace cxpm {

// An option given as a flag, with the text(s) given (none for a switch).
struct GivenOption {
  const OptionInfo* option;
  std::vector<std::string> values;
};

// Where CLI11 puts what the option flags were given; kept alive with the command.
struct OptionFlagValues {
  std::map<std::string_view, std::string> texts;
  std::map<std::string_view, std::vector<std::string>> lists;
  std::map<std::string_view, bool> switches;
};

// Adds a flag for every option of the table that has one.
void add_option_flags(CLI::App& command, OptionFlagValues& values);

// The options given on the parsed command line, in the table's order.
std::vector<GivenOption> given_options(const CLI::App& command, const OptionFlagValues& values);

// Sets each given option in `spec`; relative paths are relative to `base`. Throws CliError
// naming the flag ("--kill-timeout: expected a duration: ...").
void apply_options(const std::vector<GivenOption>& given, const std::string& base, AppSpec& spec);

// "-i/--instances" for the flags "-i,--instances".
std::string flag_display_name(const OptionInfo& option);

}  // namespace cxpm
