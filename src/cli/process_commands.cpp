// start, stop, delete, reset, scale, list, jlist, describe, pid (restart: ecosystem_commands.cpp).

#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/jlist.hpp"
#include "cxpm/cli/js_ecosystem.hpp"
#include "cxpm/cli/pm2_start_flags.hpp"
#include "cxpm/cli/queue_wait.hpp"
#include "cxpm/cli/render.hpp"
#include "cxpm/cli/runtime_commands.hpp"
#include "cxpm/cli/start_plan.hpp"
#include "cxpm/cli/targets.hpp"

namespace cxpm {
namespace {

constexpr const char* kTargetHelp =
    "app names, process ids, 'all', ecosystem files, script paths or namespaces";

// jlist and describe --json: the objects as the daemon sent them.
template <typename T>
Json json_array(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

Client connect(const CommandContext& context) {
  return *Client::connect(context.home);
}

// The daemon's warnings (state.json cannot be written) go under the table, one line each.
void print_warnings(const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings) fmt::print("warning: {}\n", warning);
}

void print_table(Client& client, const CommandContext& context) {
  const auto list = client.call<method::List>();
  fmt::print("{}", render_table(list.processes, context.out_style));
  print_warnings(list.warnings);
}

std::optional<std::string> default_ecosystem_file() {
  // cxpm's names first, then pm2's JavaScript ones, as pm2 looks for them.
  for (const char* name :
       {"ecosystem.yaml", "ecosystem.yml", "ecosystem.json", "ecosystem.config.json",
        "process.json", "ecosystem.config.js", "ecosystem.config.cjs", "ecosystem.config.mjs"}) {
    struct stat info {};
    if (::stat(name, &info) == 0) return std::string(name);
  }
  return std::nullopt;
}

// The names and the namespaces of the apps the daemon has: `start` with one of them starts
// those apps again, as pm2 does.
struct KnownApps {
  std::set<std::string> names;
  std::set<std::string> namespaces;
};

KnownApps known_apps(Client& client) {
  KnownApps known;
  for (const auto& process : client.call<method::List>().processes) {
    known.names.insert(process.name);
    known.namespaces.insert(process.app_namespace);
  }
  return known;
}

// Said before the start, which answers only once the waits are over (docs/dependencies.md).
void announce_dependency_waits(const std::vector<AppSpec>& apps) {
  for (const auto& spec : apps) {
    if (spec.depends_on.empty() || !spec.autostart) continue;
    std::string conditions;
    for (const auto& dependency : spec.depends_on) {
      conditions += fmt::format("{}{} to be {}", conditions.empty() ? "" : ", ", dependency.app,
                                to_string(dependency.condition));
    }
    fmt::print("{} waits for {} (at most {} ms)\n", spec.name, conditions,
               spec.depends_timeout.count());
  }
  std::fflush(stdout);
}

void run_start(CommandContext& context, std::vector<std::string> targets, const StartFlags& flags,
               const WaitFlags& wait) {
  if (targets.empty()) {
    auto found = default_ecosystem_file();
    if (!found) {
      throw CliError(
          "nothing to start: name a script, a program or an ecosystem file "
          "(no ecosystem.yaml, .yml or .json here, nor ecosystem.config.js, .cjs or .mjs). Try "
          "`cxpm start app.js` or `cxpm init`.");
    }
    targets.push_back(*found);
  }
  if (!flags.name().empty() && targets.size() > 1) {
    throw CliError("--name names one app, but " + std::to_string(targets.size()) +
                   " were given to start");
  }

  // Work out everything before asking the daemon for anything: one bad target changes nothing.
  // Files are read first, so a JavaScript file's node runs before the daemon is connected to.
  // A *.config.js file is never run as an app unless --interpreter says how to run it.
  const bool interpreter_given = std::ranges::any_of(
      flags.options, [](const GivenOption& given) { return given.option->name == "interpreter"; });
  const auto is_file_of_apps = [&](const std::string& target) {
    return is_ecosystem_file(target) && !(is_js_ecosystem_file(target) && interpreter_given);
  };
  std::map<std::string, std::vector<AppSpec>> files;
  for (const auto& target : targets) {
    if (is_file_of_apps(target) && !files.contains(target)) {
      files.emplace(target, load_ecosystem(target, flags));
    }
  }
  std::vector<AppSpec> new_apps;
  std::vector<std::string> existing_targets;
  std::vector<AppSpec> copies;  // -f: more instances of apps that exist
  Client client = connect(context);
  const KnownApps apps = known_apps(client);
  const std::set<std::string>& known = apps.names;
  auto refuse_settings = [&flags](const std::string& target, const std::string& instead) {
    if (flags.app_settings_given.empty()) return;
    std::string given;
    for (const auto& flag : flags.app_settings_given) given += (given.empty() ? "" : ", ") + flag;
    throw CliError(given + " set up a new app from a script; they do not apply to " + target +
                   ": " + instead);
  };
  for (const auto& target : targets) {
    if (is_file_of_apps(target)) {
      refuse_settings(target,
                      "put the options in the file (e.g. time: true), then start or "
                      "restart it");
      for (auto spec : files.at(target)) {
        if (known.contains(spec.name)) {
          existing_targets.push_back(spec.name);
        } else {
          new_apps.push_back(std::move(spec));
        }
      }
    } else if (((known.contains(target) || apps.namespaces.contains(target)) &&
                flags.name().empty()) ||
               target == "all" || target.find_first_not_of("0123456789") == std::string::npos) {
      refuse_settings("'" + target + "', which cxpm already has",
                      "delete it and start it again with them, or use an ecosystem file");
      existing_targets.push_back(target);
    } else {
      AppSpec spec = spec_from_flags(target, flags);
      if (known.contains(spec.name) && flags.force) {
        copies.push_back(std::move(spec));
        continue;
      }
      if (known.contains(spec.name)) {
        throw CliError("an app named '" + spec.name + "' already exists; use `cxpm restart " +
                       spec.name + "`, or give this one another name with --name");
      }
      new_apps.push_back(std::move(spec));
    }
  }

  std::vector<std::string> args_names;  // of the new apps, for --attach
  for (const auto& spec : new_apps) args_names.push_back(spec.name);
  std::vector<std::string> not_started;
  if (!new_apps.empty()) {
    announce_dependency_waits(new_apps);
    StartArgs args;
    args.apps = std::move(new_apps);
    const ProcessesResult started = call_lifecycle<method::Start>(client, args, wait);
    for (const auto& note : started.notes) fmt::print("{}\n", note);
    not_started = started.not_started;
  }
  if (!existing_targets.empty()) {
    StartArgs args;
    args.targets = existing_targets;
    call_lifecycle<method::Start>(client, args, wait);
  }
  for (const auto& copy : copies) {
    ScaleArgs args;
    args.app = copy.name;
    args.count = "+" + std::to_string(copy.instances > 0 ? copy.instances : 1);
    call_lifecycle<method::Scale>(client, args, wait);
  }
  print_table(client, context);
  if (!not_started.empty()) {
    std::string message;
    for (const auto& line : not_started) message += (message.empty() ? "" : "\n") + line;
    throw CliError(message);
  }
  if (flags.attach) {
    std::vector<std::string> names = existing_targets;
    for (const auto& spec : args_names) names.push_back(spec);
    for (const auto& copy : copies) names.push_back(copy.name);
    follow_logs(context, names);
  }
}

// stop, delete, reset: the same shape, a verb on targets, then the table.
template <typename Verb>
void add_target_verb(CLI::App& app, CommandContext& context, const std::string& name,
                     const std::string& description, const std::vector<std::string>& aliases = {}) {
  auto* command = app.add_subcommand(name, description);
  for (const auto& alias : aliases) command->alias(alias);
  if (!context.builds(*command)) return;
  auto targets = std::make_shared<std::vector<std::string>>();
  auto flags = std::make_shared<StartFlags>();
  command->add_option("targets", *targets, kTargetHelp)->required();
  command->add_option("--only", flags->only, "with an ecosystem file: only these apps (a,b)");
  auto wait = std::make_shared<WaitFlags>();
  add_queue_wait_options(*command, wait);
  command->callback([&context, targets, flags, wait] {
    Client client = connect(context);
    TargetsArgs args;
    args.targets = resolve_targets(client, *targets, *flags);
    call_lifecycle<Verb>(client, args, *wait);
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
  auto option_values = std::make_shared<OptionFlagValues>();
  command->add_option("targets", *targets,
                      "script, program, \"shell command\", ecosystem file (.yaml/.yml/.json, "
                      "*.config.js/.cjs/.mjs), app name, id or namespace; default: "
                      "./ecosystem.yaml, then ./ecosystem.config.js");
  add_option_flags(*command, *option_values);
  command->add_option("--port", flags->ports,
                      "cluster: a TCP port the daemon opens and shares among the workers, given "
                      "to each as fd 3 (LISTEN_FDS) and PORT (repeatable)");
  command
      ->add_option("--env", flags->env,
                   "KEY=VALUE added to the app's environment (repeatable); with an ecosystem "
                   "file, the profile NAME that selects env_NAME")
      ->allow_extra_args(false);
  command->add_option("--only", flags->only, "with an ecosystem file: only these apps (a,b)");
  auto wait = std::make_shared<WaitFlags>();
  add_queue_wait_options(*command, wait);
  auto runtime = std::make_shared<RuntimeFlags>();
  add_runtime_flags(*command, *runtime);
  auto pm2_flags = std::make_shared<Pm2StartFlags>();
  add_pm2_start_flags(*command, *pm2_flags);
  command->callback([&context, command, targets, flags, option_values, wait, runtime, pm2_flags] {
    // --env is KEY=VALUE for a script and a profile name for an ecosystem file.
    StartFlags resolved = *flags;
    resolved.args = context.app_args;
    resolved.options = given_options(*command, *option_values);
    for (const CLI::Option* option : command->get_options()) {
      const std::string name = option->get_name();
      if (option->count() > 0 && name != "targets" && name != "--only" && name != "--env" &&
          name != "--help" && name != "--wait" && name != "--no-wait" && !is_runtime_flag(name) &&
          !is_pm2_start_flag(name)) {
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
    check_runtime_flags(*runtime);
    warn_ignored_pm2_flags(*pm2_flags);
    resolved.force = pm2_flags->force;
    resolved.attach = pm2_flags->attach;
    if (runtime->foreground) return run_in_foreground(context, *targets, resolved, *runtime);
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
  auto wait = std::make_shared<WaitFlags>();
  add_queue_wait_options(*command, wait);
  command->callback([&context, name, count, wait] {
    Client client = connect(context);
    ScaleArgs args;
    args.app = *name;
    args.count = *count;
    call_lifecycle<method::Scale>(client, args, *wait);
    print_table(client, context);
  });
}

void add_list(CLI::App& app, CommandContext& context) {
  auto* list = app.add_subcommand("list", "Show every process: status, restarts, CPU, memory");
  for (const char* alias : {"ls", "l", "ps", "status"}) list->alias(alias);
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json,
                 "print cxpm's fields as a JSON array (jlist adds pm2's, with each process's "
                 "settings and environment: slower for thousands of apps)");
  list->callback([&context, json] {
    Client client = connect(context);
    const auto list = client.call<method::List>();
    if (*json) {
      fmt::print("{}\n",
                 json_array(list.processes).dump(-1, ' ', false, Json::error_handler_t::replace));
    } else {
      fmt::print("{}", render_table(list.processes, context.out_style));
      print_warnings(list.warnings);
    }
  });
  app.add_subcommand("jlist",
                     "Print every process as a JSON array (cxpm's fields and pm2's: pm_id, "
                     "monit, pm2_env)")
      ->callback([&context] {
        Client client = connect(context);
        fmt::print("{}\n", jlist_json(client).dump(-1, ' ', false, Json::error_handler_t::replace));
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
    TargetsArgs args;
    args.targets = resolve_targets(client, *targets);
    const auto processes = client.call<method::Describe>(args).processes;
    if (*json) {
      fmt::print("{}\n", json_array(processes).dump(2, ' ', false, Json::error_handler_t::replace));
      return;
    }
    for (const auto& process : processes) {
      fmt::print("{}\n", render_description(process.info, process.spec, context.out_style));
    }
  });
}

void add_pid(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("pid", "Print the pids of an app (or of every process)");
  auto name = std::make_shared<std::string>();
  command->add_option("target", *name, "app name or id (default: all)");
  command->callback([&context, name] {
    Client client = connect(context);
    std::vector<ProcessInfo> processes;
    if (name->empty()) {
      processes = client.call<method::List>().processes;
    } else {
      TargetsArgs args;
      args.targets = resolve_targets(client, {*name});
      for (auto& process : client.call<method::Describe>(args).processes) {
        processes.push_back(std::move(process.info));
      }
    }
    for (const auto& process : processes) {
      if (process.pid > 0) fmt::print("{}\n", process.pid);
    }
  });
}

}  // namespace

void register_process_commands(CLI::App& app, CommandContext& context) {
  add_start(app, context);
  add_target_verb<method::Stop>(app, context, "stop",
                                "Stop apps (signal, then SIGKILL after "
                                "kill_timeout); they stay listed");
  add_target_verb<method::Delete>(app, context, "delete", "Stop apps and forget them", {"del"});
  add_target_verb<method::Reset>(app, context, "reset", "Reset restart counters");
  add_scale(app, context);
  add_list(app, context);
  add_describe(app, context);
  add_pid(app, context);
}

}  // namespace cxpm
