#pragma once
// Turning `cxpm start ...` into complete AppSpecs: flags, ecosystem files, script lookup and
// the caller's environment. Everything is checked here, before the daemon is asked anything.

#include <optional>
#include <string>
#include <vector>

#include "cxpm/cli/start_flags.hpp"
#include "cxpm/config/app_spec.hpp"

namespace cxpm {

struct StartFlags {
  std::vector<GivenOption> options;  // the option table's flags that were given
  std::vector<std::string> env;      // K=V
  std::vector<int> ports;
  std::string only;               // ecosystem: a,b
  std::string env_profile;        // ecosystem: --env NAME
  std::vector<std::string> args;  // after --
  // The options given that describe a new app (--time, --cwd, ...): they cannot apply to an
  // ecosystem file's apps or to apps the daemon already has, so start refuses them there.
  std::vector<std::string> app_settings_given;
  bool force = false;   // -f: a script whose app exists adds a copy of it
  bool attach = false;  // --attach: follow the apps' logs once started

  // --name, or "" when not given.
  std::string name() const;
};

// .yaml, .yml, .json, and pm2's JavaScript names (*.config.js, .cjs, .mjs).
bool is_ecosystem_file(const std::string& path);

// The file's text as the loader reads it: a JavaScript file's export as JSON (evaluated by
// node once per run), any other file as it is.
std::string read_ecosystem_text(const std::string& path);

// This process's environment: the lowest layer of an app's env, as in pm2.
Environment caller_environment();

// The apps of an ecosystem file, filtered by --only; throws CliError listing every problem.
// With check_scripts, each app's script must also be found (for commands that start apps).
// `caller_env` is the lowest layer of each app's env (default: this process's environment).
std::vector<AppSpec> load_ecosystem(const std::string& path, const StartFlags& flags,
                                    bool check_scripts = true,
                                    const Environment* caller_env = nullptr);

// The app for `cxpm start <script|program|"shell command">` with flags; throws CliError.
AppSpec spec_from_flags(const std::string& script, const StartFlags& flags);

}  // namespace cxpm
