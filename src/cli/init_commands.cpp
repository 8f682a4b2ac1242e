// init (alias ecosystem): a commented starter ecosystem file in YAML, or pm2's
// ecosystem.config.js (`init simple`, `init --js`); and `ecosystem convert FILE`, which prints a
// file's apps as YAML (a JavaScript file evaluated by node first).

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/js_ecosystem.hpp"
#include "cxpm/cli/start_plan.hpp"
#include "cxpm/config/yaml_convert.hpp"

namespace cxpm {
namespace {

constexpr const char* kDefaultEcosystemFile = "ecosystem.yaml";
constexpr const char* kDefaultJsEcosystemFile = "ecosystem.config.js";

constexpr const char* kStarterEcosystem =
    R"(# cxpm ecosystem file: the apps cxpm runs, with pm2's option names and defaults.
#   cxpm start                  start them (this file is found by its name)
#   cxpm start --env production use env_production over env
#   cxpm restart ecosystem.yaml apply changes made here to the running apps
#   cxpm ls                     see them; `cxpm describe app` tells why one restarted
# Every option, explained: ecosystem.example.yaml in cxpm's source.
apps:
  - name: app
    script: app.js              # a file (.js runs with node, .py python3, .sh bash), a
                                # program on PATH, or a shell command line
    # args: [--verbose]         # the app's arguments, a list or one string of words
    # cwd: .                    # default: this file's directory
    instances: 1                # "max": one per CPU
    # exec_mode: cluster        # instances share the listen addresses below
    # listen: ["3000"]          # sockets the daemon opens and hands over (LISTEN_FDS)
    env:                        # on top of the environment `cxpm start` runs in
      NODE_ENV: development
    env_production:             # with --env production, on top of env
      NODE_ENV: production
    autorestart: true           # restart when it exits (max_restarts, min_uptime, ...)
    max_memory_restart: 300M    # restart gracefully above this resident memory
    # watch: true               # restart when files under cwd change
    # ignore_watch: [logs, "*.tmp"]  # dotfiles and node_modules are always ignored
    # cron_restart: "0 3 * * *" # restart every night at 3:00
    # kill_timeout: 5s          # SIGINT first, SIGKILL after this (default 1600 ms)
    # out_file: logs/app-out.log     # default: $CXPM_HOME/logs/app-out.log
    # error_file: logs/app-error.log
)";

// What `pm2 init simple` writes, so a pm2 user's habits and tutorials carry over.
constexpr const char* kSimpleJsEcosystem = R"(module.exports = {
  apps : [{
    name   : "app1",
    script : "./app.js"
  }]
}
)";

void write_new_file(const std::string& path, std::string_view text) {
  // O_EXCL: an existing file, even one created a moment ago, is never replaced.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    throw CliError(path +
                   " already exists; cxpm init never overwrites a file. Edit it, "
                   "remove it first, or name another file: `cxpm init other.yaml`");
  }
  if (fd < 0) throw CliError("cannot create " + path + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) throw CliError("cannot write " + path + ": " + std::strerror(errno));
}

void convert(const std::string& path) {
  if (!is_ecosystem_file(path)) {
    throw CliError(path + ": an ecosystem file's name ends in .yaml, .yml, .json or .config.js");
  }
  if (::access(path.c_str(), R_OK) != 0) {
    throw CliError("cannot read " + path + ": no such file or not readable");
  }
  // Checked by the loader first: what is printed is a file cxpm starts.
  load_ecosystem(path, StartFlags{}, /*check_scripts=*/false);
  fmt::print("# converted from {} by `cxpm ecosystem convert`\n{}", path,
             json_as_yaml(read_ecosystem_text(path)));
}

void add_init(CLI::App& app) {
  auto* command = app.add_subcommand(
      "init",
      "Write a commented starter ecosystem file (never overwrites one): YAML, or pm2's "
      "ecosystem.config.js with `init simple` or --js. `cxpm ecosystem convert FILE` prints a "
      "file (ecosystem.config.js too) as YAML");
  command->alias("ecosystem");
  auto words = std::make_shared<std::vector<std::string>>();
  auto js = std::make_shared<bool>(false);
  command->add_option("file", *words,
                      "where to write it (default ecosystem.yaml); `simple`: pm2's "
                      "ecosystem.config.js; `convert FILE`: print FILE as YAML");
  command->add_flag("--js", *js, "write pm2's ecosystem.config.js");
  command->callback([words, js] {
    if (!words->empty() && words->front() == "convert") {
      if (words->size() != 2)
        throw CliError("convert takes one file: `cxpm ecosystem convert FILE`");
      return convert(words->at(1));
    }
    if (words->size() > 1) throw CliError("init takes one file name");
    const bool simple = !words->empty() && words->front() == "simple";
    const bool as_js = *js || simple;
    const std::string path = words->empty() || simple
                                 ? (as_js ? kDefaultJsEcosystemFile : kDefaultEcosystemFile)
                                 : words->front();
    if (as_js && !is_js_ecosystem_file(path)) {
      throw CliError(path + ": a JavaScript ecosystem file's name ends in .config.js");
    }
    if (!is_ecosystem_file(path)) {
      throw CliError(path + ": an ecosystem file's name ends in .yaml, .yml or .json");
    }
    write_new_file(path,
                   as_js || is_js_ecosystem_file(path) ? kSimpleJsEcosystem : kStarterEcosystem);
    const bool found_by_name = path == kDefaultEcosystemFile || path == kDefaultJsEcosystemFile;
    fmt::print("wrote {}: set your app's script, then run `cxpm start{}`\n", path,
               found_by_name ? "" : " " + path);
  });
}

}  // namespace

void register_init_commands(CLI::App& app, CommandContext&) {
  add_init(app);
}

}  // namespace cxpm
