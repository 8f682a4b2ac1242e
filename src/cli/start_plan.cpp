#include "cxpm/cli/start_plan.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/js_ecosystem.hpp"
#include "cxpm/config/command.hpp"
#include "cxpm/config/ecosystem.hpp"
#include "cxpm/config/listen_address.hpp"
#include "cxpm/sys/spawn.hpp"

extern char** environ;

namespace cxpm {

Environment caller_environment() {
  Environment env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text = *entry;
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return env;
}

namespace {

std::string current_directory() {
  char buffer[4096];
  if (!::getcwd(buffer, sizeof buffer)) throw CliError("cannot read the current directory");
  return buffer;
}

bool is_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string absolute(const std::string& path, const std::string& base) {
  if (path.empty() || path.front() == '/') return path;
  return base + "/" + path;
}

std::string search_path(const AppSpec& spec) {
  const std::string* path = spec.env.lookup("PATH");
  return path ? *path : std::string();
}

// The caller's environment, read once per run and shared by every app started from flags.
const AppEnvironment::Base& shared_caller_environment() {
  static const AppEnvironment::Base shared =
      std::make_shared<const Environment>(caller_environment());
  return shared;
}

// Finds what the spec runs and checks it can run, so `start` fails here with a sentence
// rather than later in the daemon with an errored app.
void resolve_script(AppSpec& spec) {
  if (!is_directory(spec.cwd)) {
    throw CliError("app '" + spec.name + "': the working directory " + spec.cwd +
                   " does not exist");
  }
  if (spec.interpreter == "bash" && spec.interpreter_args == std::vector<std::string>{"-c"}) {
    return;  // already a shell command
  }
  const std::string in_cwd = absolute(spec.script, spec.cwd);
  if (is_file(in_cwd)) {
    spec.script = in_cwd;
  } else if (spec.script.find_first_of(" \t") != std::string::npos) {
    make_shell_command(spec);
    return;
  } else if (spec.script.find('/') != std::string::npos ||
             !find_program(spec.script, search_path(spec))) {
    throw CliError("app '" + spec.name + "': cannot find '" + spec.script + "': no such file in " +
                   spec.cwd + ", and no program by that name on PATH");
  }
  const auto argv = command_argv(spec);
  if (argv.front() != spec.script && !find_program(argv.front(), search_path(spec))) {
    throw CliError("app '" + spec.name + "': the interpreter '" + argv.front() +
                   "' is not on PATH; install it, or name another with --interpreter");
  }
  if (argv.front() == spec.script && spec.script.front() == '/' &&
      ::access(spec.script.c_str(), X_OK) != 0) {
    throw CliError("app '" + spec.name + "': " + spec.script +
                   " is not executable and cxpm knows no interpreter for it; make it executable "
                   "(chmod +x) or pass --interpreter");
  }
}

}  // namespace

bool is_ecosystem_file(const std::string& path) {
  for (const char* extension : {".yaml", ".yml", ".json"}) {
    if (path.ends_with(extension)) return true;
  }
  return is_js_ecosystem_file(path);
}

std::string read_ecosystem_text(const std::string& path) {
  if (is_js_ecosystem_file(path)) {
    // One evaluation per file and run: restart reads a file twice (with and without the
    // caller's environment), and the file's own output and notes are shown once.
    static std::map<std::string, std::string> evaluated;
    if (auto found = evaluated.find(path); found != evaluated.end()) return found->second;
    std::string text = evaluate_js_ecosystem(path);
    const Json exported = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (exported.is_object() && exported.contains("deploy")) {
      std::fprintf(stderr,
                   "cxpm: note: %s: its 'deploy' section is ignored (cxpm does not deploy)\n",
                   path.c_str());
    }
    return evaluated.emplace(path, std::move(text)).first->second;
  }
  std::ifstream file(path);
  if (!file) throw CliError("cannot read " + path + ": no such file or not readable");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<AppSpec> load_ecosystem(const std::string& path, const StartFlags& flags,
                                    bool check_scripts, const Environment* caller_env) {
  if (is_js_ecosystem_file(path) && ::access(path.c_str(), R_OK) != 0) {
    throw CliError("cannot read " + path + ": no such file or not readable");
  }
  const std::string text = read_ecosystem_text(path);
  const std::string full_path = absolute(path, current_directory());
  const std::string base_dir = full_path.substr(0, full_path.rfind('/'));
  const Ecosystem ecosystem =
      parse_ecosystem(text, {path, base_dir.empty() ? "/" : base_dir,
                             caller_env ? *caller_env : caller_environment(), flags.env_profile,
                             /*evaluated=*/is_js_ecosystem_file(path)});
  if (!ecosystem.ok()) {
    std::string message = path + " has " + std::to_string(ecosystem.errors.size()) +
                          (ecosystem.errors.size() == 1 ? " error" : " errors") +
                          "; nothing was started or changed:";
    for (const auto& error : ecosystem.errors) message += "\n  " + error.format();
    const Json exported = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (is_js_ecosystem_file(path) && !exported.is_array() &&
        !(exported.is_object() && (exported.contains("apps") || exported.contains("script")))) {
      message +=
          "\n(a file named *.config.js is read as an ecosystem file, never run as an app; "
          "to run it as one, add --interpreter node, or `cxpm start node -- " +
          path + "`)";
    }
    throw CliError(message);
  }

  for (const auto& warning : ecosystem.warnings) {
    std::fprintf(stderr, "cxpm: warning: %s\n", warning.format().c_str());
  }

  std::vector<AppSpec> apps;
  std::vector<std::string> only;
  std::stringstream names(flags.only);
  for (std::string name; std::getline(names, name, ',');) {
    if (!name.empty()) only.push_back(name);
  }
  for (const auto& name : only) {
    if (std::ranges::none_of(ecosystem.apps,
                             [&](const AppSpec& app) { return app.name == name; })) {
      std::string known;
      for (const auto& app : ecosystem.apps) known += (known.empty() ? "" : ", ") + app.name;
      throw CliError("--only: " + path + " has no app named '" + name + "'; it has: " + known);
    }
  }
  for (AppSpec spec : ecosystem.apps) {
    if (!only.empty() && std::ranges::find(only, spec.name) == only.end()) continue;
    if (check_scripts) resolve_script(spec);
    apps.push_back(std::move(spec));
  }
  return apps;
}

std::string StartFlags::name() const {
  for (const auto& [option, values] : options) {
    if (option->name == "name" && !values.empty()) return values.front();
  }
  return "";
}

AppSpec spec_from_flags(const std::string& script, const StartFlags& flags) {
  const std::string here = current_directory();
  AppSpec spec;
  spec.script = script;
  spec.name = default_app_name(script);
  spec.cwd = here;
  spec.args = flags.args;
  spec.env = AppEnvironment(shared_caller_environment());
  for (const auto& assignment : flags.env) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw CliError("--env: expected KEY=VALUE, got '" + assignment + "'");
    }
    spec.env[assignment.substr(0, equals)] = assignment.substr(equals + 1);
  }
  apply_options(flags.options, here, spec);
  // As in pm2, -i means cluster mode; cxpm clusters programs in any language.
  const bool instances_given = std::ranges::any_of(
      flags.options, [](const GivenOption& given) { return given.option->name == "instances"; });
  if (instances_given) spec.exec_mode = ExecMode::kCluster;
  std::vector<std::string> listen;
  for (int port : flags.ports) {
    std::string problem;
    if (!parse_listen_address(std::to_string(port), &problem)) throw CliError("--port: " + problem);
    listen.push_back(std::to_string(port));
  }
  for (const auto& address : spec.listen) {
    listen.push_back(address.find('/') != std::string::npos ? absolute(address, here) : address);
  }
  spec.listen = std::move(listen);
  if (!spec.listen.empty()) spec.exec_mode = ExecMode::kCluster;
  resolve_script(spec);
  return spec;
}

}  // namespace cxpm
