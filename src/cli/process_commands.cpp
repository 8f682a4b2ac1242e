// start, stop, delete, reset, scale, list, jlist, describe, pid (restart: ecosystem_commands.cpp).

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <set>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/queue_wait.hpp"
#include "cxpm/cli/render.hpp"
#include "cxpm/cli/start_plan.hpp"
#include "cxpm/protocol/app_spec_json.hpp"

namespace cxpm {
namespace {

constexpr const char* kTargetHelp = "app names, process ids, ecosystem files, or 'all'";

Client connect(const CommandContext& context) {
  return *Client::connect(context.home);
}

void print_table(Client& client, const CommandContext& context) {
  const Json result = client.call_ok("list");
  fmt::print("{}", render_table(processes_from(result), context.out_style));
}

// Ecosystem files among the targets stand for the names of their apps.
std::vector<std::string> expand_targets(const std::vector<std::string>& targets,
                                        const StartFlags& flags) {
  std::vector<std::string> out;
  for (const auto& target : targets) {
    struct stat info {};
    if (is_ecosystem_file(target) && ::stat(target.c_str(), &info) == 0) {
      for (const auto& spec : load_ecosystem(target, flags, /*check_scripts=*/false)) {
        out.push_back(spec.name);
      }
    } else {
      out.push_back(target);
    }
  }
  return out;
}

std::optional<std::string> default_ecosystem_file() {
  for (const char* name : {"ecosystem.yaml", "ecosystem.yml", "ecosystem.json",
                           "ecosystem.config.json", "process.json"}) {
    struct stat info {};
    if (::stat(name, &info) == 0) return std::string(name);
  }
  return std::nullopt;
}

std::set<std::string> known_app_names(Client& client) {
  std::set<std::string> names;
  for (const auto& process : processes_from(client.call_ok("list"))) names.insert(process.name);
  return names;
}

void run_start(CommandContext& context, std::vector<std::string> targets, const StartFlags& flags,
               const QueueWait& wait) {
  if (targets.empty()) {
    auto found = default_ecosystem_file();
    if (!found) {
      throw CliError(
          "nothing to start: name a script, a program or an ecosystem file "
          "(no ecosystem.yaml, .yml or .json here). Try `cxpm start app.js` or "
          "`cxpm init`.");
    }
    targets.push_back(*found);
  }
  if (!flags.name.empty() && targets.size() > 1) {
    throw CliError("--name names one app, but " + std::to_string(targets.size()) +
                   " were given to start");
  }

  // Work out everything before asking the daemon for anything: one bad target changes nothing.
  std::vector<AppSpec> new_apps;
  std::vector<std::string> existing_targets;
  Client client = connect(context);
  const std::set<std::string> known = known_app_names(client);
  auto refuse_settings = [&flags](const std::string& target, const std::string& instead) {
    if (flags.app_settings_given.empty()) return;
    std::string given;
    for (const auto& flag : flags.app_settings_given) given += (given.empty() ? "" : ", ") + flag;
    throw CliError(given + " set up a new app from a script; they do not apply to " + target +
                   ": " + instead);
  };
  for (const auto& target : targets) {
    if (is_ecosystem_file(target)) {
      refuse_settings(target,
                      "put the options in the file (e.g. time: true), then start or "
                      "restart it");
      for (auto& spec : load_ecosystem(target, flags)) {
        if (known.contains(spec.name)) {
          existing_targets.push_back(spec.name);
        } else {
          new_apps.push_back(std::move(spec));
        }
      }
    } else if ((known.contains(target) && flags.name.empty()) || target == "all" ||
               target.find_first_not_of("0123456789") == std::string::npos) {
      refuse_settings("'" + target + "', which cxpm already has",
                      "delete it and start it again with them, or use an ecosystem file");
      existing_targets.push_back(target);
    } else {
      AppSpec spec = spec_from_flags(target, flags);
      if (known.contains(spec.name)) {
        throw CliError("an app named '" + spec.name + "' already exists; use `cxpm restart " +
                       spec.name + "`, or give this one another name with --name");
      }
      new_apps.push_back(std::move(spec));
    }
  }

  if (!new_apps.empty()) call_lifecycle(client, "start", app_specs_to_json(new_apps), wait);
  if (!existing_targets.empty()) {
    call_lifecycle(client, "start", {{"targets", existing_targets}}, wait);
  }
  print_table(client, context);
}

// stop, restart, delete, reset: the same shape, a verb on targets, then the table.
void add_target_verb(CLI::App& app, CommandContext& context, const std::string& name,
                     const std::string& method, const std::string& description,
                     const std::vector<std::string>& aliases = {}) {
  auto* command = app.add_subcommand(name, description);
  for (const auto& alias : aliases) command->alias(alias);
  if (!context.builds(*command)) return;
  auto targets = std::make_shared<std::vector<std::string>>();
  auto flags = std::make_shared<StartFlags>();
  command->add_option("targets", *targets, kTargetHelp)->required();
  command->add_option("--only", flags->only, "with an ecosystem file: only these apps (a,b)");
  auto wait = std::make_shared<QueueWait>();
  add_queue_wait_options(*command, wait);
  command->callback([&context, targets, flags, method, wait] {
    Client client = connect(context);
    call_lifecycle(client, method, {{"targets", expand_targets(*targets, *flags)}}, *wait);
    print_table(client, context);
  });
}

void add_start(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "start",
      "Start a script, a program, a shell command, an ecosystem file, or apps cxpm knows.\n"
      "Arguments for the app go after --, e.g. `cxpm start server.py -- --port 8080`.");
  if (!context.builds(*command)) return;
  auto targets = std::make_shared<std::vector<std::string>>();
  auto flags = std::make_shared<StartFlags>();
  command->add_option("targets", *targets,
                      "script, program, \"shell command\", ecosystem file (.yaml/.yml/.json), "
                      "app name or id; default: ./ecosystem.yaml");
  command->add_option("-n,--name", flags->name, "the app's name (default: the script's name)");
  command->add_option("-i,--instances", flags->instances,
                      "how many instances: a number, 'max' (one per CPU), or -n (CPUs minus n)");
  command->add_option("--port", flags->ports,
                      "cluster: a TCP port the daemon opens and shares among the workers, given "
                      "to each as fd 3 (LISTEN_FDS) and PORT (repeatable)");
  command->add_option("--listen", flags->listen,
                      "cluster: like --port, with a host ([host:]port) or a unix socket path");
  command
      ->add_option("--socket-mode", flags->socket_mode,
                   "cluster: 'reuseport' (default: a socket per worker, kernel-balanced) or "
                   "'shared' (one socket all workers accept from)")
      ->check(CLI::IsMember({"reuseport", "shared"}));
  command->add_option("--interpreter", flags->interpreter,
                      "run the script with this program; 'none' runs it directly "
                      "(default: by extension: .js node, .py python3, .sh bash)");
  command->add_option("--interpreter-args,--node-args", flags->interpreter_args,
                      "arguments for the interpreter");
  command->add_option("--cwd", flags->cwd, "working directory (default: the current one)");
  command
      ->add_option("--env", flags->env,
                   "KEY=VALUE added to the app's environment (repeatable); with an ecosystem "
                   "file, the profile NAME that selects env_NAME")
      ->allow_extra_args(false);
  command->add_flag("--no-autorestart", flags->no_autorestart,
                    "do not restart the app when it exits");
  command->add_option("--max-restarts", flags->max_restarts,
                      "unstable restarts in a row before giving up (default 16)");
  command->add_option("--min-uptime", flags->min_uptime,
                      "a run shorter than this is unstable (default 1000 ms)");
  command->add_option("--restart-delay", flags->restart_delay,
                      "wait before restarting (default 0)");
  command->add_option("--exp-backoff-restart-delay", flags->exp_backoff_restart_delay,
                      "first restart delay, then x1.5 per crash up to 15 s");
  command->add_option("--stop-exit-codes", flags->stop_exit_codes,
                      "exit codes that mean 'done': not restarted");
  command->add_option("--kill-signal", flags->kill_signal,
                      "signal that asks the app to stop "
                      "(default SIGINT)");
  command->add_option("--kill-timeout", flags->kill_timeout,
                      "then SIGKILL after this long (default 1600 ms)");
  command->add_flag("--wait-ready", flags->wait_ready,
                    "the app says when it is ready: READY=1 to $NOTIFY_SOCKET (sd_notify) or, "
                    "in Node, process.send('ready'); reload waits for it");
  command->add_option("--listen-timeout", flags->listen_timeout,
                      "how long to wait for ready (default 3000 ms)");
  command->add_flag("--shutdown-with-message", flags->shutdown_with_message,
                    "Node apps: stop by sending the 'shutdown' message, not a signal");
  command->add_option("-o,--output", flags->out_file, "stdout log file");
  command->add_option("-e,--error", flags->error_file, "stderr log file");
  command->add_option("-l,--log", flags->log_file, "combined stdout+stderr log file");
  command->add_flag("--merge-logs", flags->merge_logs, "one log file for all instances");
  command->add_flag("--time", flags->time, "prefix each log line with the time");
  command->add_option("--log-date-format", flags->log_date_format,
                      "the time prefix in pm2's tokens, e.g. 'YYYY-MM-DD HH:mm:ss Z' (implies "
                      "--time)");
  command
      ->add_option("--log-type", flags->log_type,
                   "'json': one JSON object per line (app, instance, stream, time, message)")
      ->check(CLI::IsMember({"json"}));
  command->add_option("--max-size", flags->max_size,
                      "rotate a log file when it reaches this size, e.g. 50M (default 10M; 0: "
                      "never)");
  command->add_option("--retain", flags->retain, "rotated log files kept per file (default 5)");
  command->add_flag("--compress", flags->compress, "gzip rotated log files");
  command->add_flag("--watch", flags->watch,
                    "restart when a file under the working directory changes");
  command->add_option("--ignore-watch", flags->ignore_watch,
                      "globs --watch ignores (repeatable; dotfiles and node_modules always are)");
  command->add_option("--watch-delay", flags->watch_delay,
                      "wait for changes to settle this long before restarting");
  command->add_option("-c,--cron-restart", flags->cron_restart,
                      "restart on a cron schedule, e.g. '0 3 * * *'");
  command->add_option("--max-memory-restart", flags->max_memory_restart,
                      "restart when the app's memory (RSS) exceeds this, e.g. 300M");
  command->add_option("--only", flags->only, "with an ecosystem file: only these apps (a,b)");
  auto wait = std::make_shared<QueueWait>();
  add_queue_wait_options(*command, wait);
  command->callback([&context, command, targets, flags, wait] {
    // --env is KEY=VALUE for a script and a profile name for an ecosystem file.
    StartFlags resolved = *flags;
    resolved.args = context.app_args;
    for (const CLI::Option* option : command->get_options()) {
      const std::string name = option->get_name();
      if (option->count() > 0 && name != "targets" && name != "--only" && name != "--env" &&
          name != "--help" && name != "--wait" && name != "--no-wait") {
        resolved.app_settings_given.push_back(name);
      }
    }
    std::vector<std::string> assignments;
    for (const auto& value : resolved.env) {
      if (value.find('=') == std::string::npos) {
        resolved.env_profile = value;
      } else {
        assignments.push_back(value);
      }
    }
    resolved.env = assignments;
    if (!assignments.empty()) resolved.app_settings_given.push_back("--env KEY=VALUE");
    run_start(context, *targets, resolved, *wait);
  });
}

void add_scale(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("scale",
                                     "Add or remove instances of an app: N, +N or -N "
                                     "(removed instances stop gracefully first)");
  if (!context.builds(*command)) return;
  auto name = std::make_shared<std::string>();
  auto count = std::make_shared<std::string>();
  command->add_option("app", *name, "the app's name")->required();
  command->add_option("count", *count, "N, +N or -N")->required();
  auto wait = std::make_shared<QueueWait>();
  add_queue_wait_options(*command, wait);
  command->callback([&context, name, count, wait] {
    Client client = connect(context);
    call_lifecycle(client, "scale", {{"app", *name}, {"count", *count}}, *wait);
    print_table(client, context);
  });
}

void add_list(CLI::App& app, CommandContext& context) {
  auto* list = app.add_subcommand("list", "Show every process: status, restarts, CPU, memory");
  for (const char* alias : {"ls", "l", "ps", "status"}) list->alias(alias);
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "print JSON (as jlist)");
  auto print = [&context](bool as_json) {
    Client client = connect(context);
    const Json result = client.call_ok("list");
    if (as_json) {
      fmt::print("{}\n",
                 result.at("processes").dump(-1, ' ', false, Json::error_handler_t::replace));
    } else {
      fmt::print("{}", render_table(processes_from(result), context.out_style));
    }
  };
  list->callback([print, json] { print(*json); });
  app.add_subcommand("jlist", "Print every process as a JSON array")->callback([print] {
    print(true);
  });
}

void add_describe(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("describe",
                                     "Everything about an app: settings, logs, "
                                     "recent events");
  for (const char* alias : {"show", "info", "desc"}) command->alias(alias);
  if (!context.builds(*command)) return;
  auto targets = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  command->add_option("targets", *targets, kTargetHelp)->required();
  command->add_flag("--json", *json, "print JSON");
  command->callback([&context, targets, json] {
    Client client = connect(context);
    const Json result =
        client.call_ok("describe", {{"targets", expand_targets(*targets, StartFlags{})}});
    if (*json) {
      fmt::print("{}\n",
                 result.at("processes").dump(2, ' ', false, Json::error_handler_t::replace));
      return;
    }
    for (const auto& process : result.at("processes")) {
      fmt::print("{}\n", render_description(process_info_from_json(process),
                                            process.value("spec", Json()), context.out_style));
    }
  });
}

void add_pid(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("pid", "Print the pids of an app (or of every process)");
  auto name = std::make_shared<std::string>();
  command->add_option("target", *name, "app name or id (default: all)");
  command->callback([&context, name] {
    Client client = connect(context);
    const Json result =
        name->empty() ? client.call_ok("list") : client.call_ok("describe", {{"targets", {*name}}});
    for (const auto& process : processes_from(result)) {
      if (process.pid > 0) fmt::print("{}\n", process.pid);
    }
  });
}

}  // namespace

void register_process_commands(CLI::App& app, CommandContext& context) {
  add_start(app, context);
  add_target_verb(app, context, "stop", "stop",
                  "Stop apps (signal, then SIGKILL after "
                  "kill_timeout); they stay listed");
  add_target_verb(app, context, "delete", "delete", "Stop apps and forget them", {"del"});
  add_target_verb(app, context, "reset", "reset", "Reset restart counters");
  add_scale(app, context);
  add_list(app, context);
  add_describe(app, context);
  add_pid(app, context);
}

}  // namespace cxpm
