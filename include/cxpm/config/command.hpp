#pragma once
// The argv an app runs with: interpreter by extension as pm2 chooses it, never a shell unless
// the app's script is a shell command line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

// "node" for .js, "python3" for .py, ...; nullopt when the file runs by itself.
std::optional<std::string> interpreter_for(std::string_view script);

std::vector<std::string> command_argv(const AppSpec& spec);

// pm2 runs a script with spaces that is not a file through a shell; cxpm does the same, but
// only then. The spec becomes `bash -c "<script>"`.
void make_shell_command(AppSpec& spec);

// The default name: the script's file name without extension ("api" for ./srv/api.js), or
// the program's name for a shell command ("python3" for "python3 -m http.server").
std::string default_app_name(std::string_view script);

}  // namespace cxpm
