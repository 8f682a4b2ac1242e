#pragma once
// The ecosystem file: pm2-compatible YAML or JSON (JSON is YAML) describing apps.
// Parsing is pure: the caller reads the file and supplies the environment.

#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string message;

  // "file:line:column: message", as compilers print it.
  std::string format() const;
};

struct EcosystemContext {
  std::string file_name;    // for messages
  std::string base_dir;     // the file's directory: default cwd, relative paths
  Environment caller_env;   // the CLI's environment, lowest in the merge order
  std::string env_profile;  // --env NAME selects env_NAME; empty: none
  // The text is what a program printed (a JavaScript file's export, as JSON): its line
  // numbers mean nothing to the user, so errors name the app by position and name instead.
  bool evaluated = false;
};

struct Ecosystem {
  std::vector<AppSpec> apps;
  std::vector<ConfigError> errors;    // non-empty: the file must not be used at all
  std::vector<ConfigError> warnings;  // keys accepted with no effect: said, file still used

  bool ok() const { return errors.empty(); }
};

// Parses and validates the whole file; every problem found is reported, not just the first.
Ecosystem parse_ecosystem(std::string_view text, const EcosystemContext& context);

}  // namespace cxpm
