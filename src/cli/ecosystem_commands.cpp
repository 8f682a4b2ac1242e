// restart, reload, startOrRestart, startOrReload (which apply an ecosystem file's current
// settings to running apps); init is init_commands.cpp.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/cli/queue_wait.hpp"
#include "cxpm/cli/render.hpp"
#include "cxpm/cli/start_plan.hpp"
#include "cxpm/cli/targets.hpp"

namespace cxpm {
namespace {

struct RestartFlags {
  std::vector<std::string> targets;
  std::string only;
  std::string env_profile;
  bool update_env = false;
  int parallel = 1;  // reload: instances replaced at a time
  std::shared_ptr<WaitFlags> wait = std::make_shared<WaitFlags>();
};

// "web[0]: pid 4242 → 4251, ready in 85 ms", one line per instance a reload went through.
void print_reloaded(const std::vector<ReloadedInstance>& reloaded) {
  for (const auto& step : reloaded) {
    const std::string who = fmt::format("{}[{}]", step.name, step.instance);
    if (step.restarted) {
      fmt::print(
          "{}: restarted, pid {} → {} (fork mode has no shared socket to hand over, so "
          "reload is stop then start, as in pm2)\n",
          who, step.old_pid, step.new_pid);
    } else {
      fmt::print("{}: pid {} → {}, ready in {} ms{}\n", who, step.old_pid, step.new_pid,
                 step.ready_ms,
                 step.drain_ms > 0 ? fmt::format(", old drained in {} ms", step.drain_ms) : "");
    }
  }
}

// restart or reload; a reload's per-instance report is printed even when it failed part-way.
void call_verb(Client& client, bool reload, const RestartArgs& restart, const RestartFlags& flags) {
  if (!reload) {
    call_lifecycle<method::Restart>(client, restart, *flags.wait);
    return;
  }
  ReloadArgs args;
  static_cast<RestartArgs&>(args) = restart;
  args.parallel = flags.parallel;
  apply_wait(args, *flags.wait);
  const auto outcome = client.try_call<method::Reload>(args);
  if (const auto* result = std::get_if<ReloadResult>(&outcome)) {
    return print_reloaded(result->reloaded);
  }
  const auto& error = std::get<ErrorBody>(outcome);
  // Nothing was done: the app was busy, and the message says with what.
  if (error.code == error_code::kBusy) throw CliError(busy_advice(error.message, *flags.wait));
  if (error.details.is_object()) {
    print_reloaded(Client::details_of<ReloadFailure>(error, "reload").reloaded);
  }
  throw CliError("reload failed: " + error.message);
}

void print_table(Client& client, const CommandContext& context) {
  fmt::print("{}", render_table(client.call<method::List>().processes, context.out_style));
}

// The environment each named app runs with now (its spec.env), from one `describe`.
std::map<std::string, Environment> current_environments(Client& client,
                                                        const std::vector<std::string>& names) {
  std::map<std::string, Environment> out;
  if (names.empty()) return out;
  TargetsArgs args;
  args.targets = names;
  for (const auto& process : client.call<method::Describe>(args).processes) {
    out[process.info.name] = process.spec.env.merged();
  }
  return out;
}

// restart/reload (apps the daemon knows) and, with start_missing, startOrRestart/Reload.
//
// An ecosystem file's apps get the file's settings as their new spec. Their environment is
// pm2's: without --update-env, what they had (the CLI's environment when they were started)
// below the file's env and env_<profile>; with it, this CLI's environment instead, as when
// starting.
void run_restart(CommandContext& context, const RestartFlags& flags, bool reload,
                 bool start_missing) {
  StartFlags file_flags;
  file_flags.only = flags.only;
  file_flags.env_profile = flags.env_profile;

  Client client = *Client::connect(context.home);
  std::set<std::string> known;
  for (const auto& process : client.call<method::List>().processes) known.insert(process.name);

  // Work everything out first: a bad file or an unknown app changes nothing.
  std::vector<AppSpec> to_restart;
  std::vector<AppSpec> to_start;
  std::vector<std::string> plain_targets;
  std::vector<std::string> missing;
  std::map<std::string, Environment> file_envs;  // without --update-env: each app's file env
  bool any_file = false;
  for (const auto& target : flags.targets) {
    if (!is_ecosystem_file(target)) {
      if (start_missing) {
        throw CliError("'" + target +
                       "' is not an ecosystem file (.yaml, .yml, .json or *.config.js); "
                       "startOrRestart and startOrReload take one");
      }
      plain_targets.push_back(target);
      continue;
    }
    any_file = true;
    std::vector<AppSpec> specs = load_ecosystem(target, file_flags);
    if (!flags.update_env) {
      // The file's own variables: the same file read over an empty caller environment.
      const Environment none;
      for (auto& spec : load_ecosystem(target, file_flags, /*check_scripts=*/false, &none)) {
        file_envs[spec.name] = std::move(spec.env);
      }
    }
    for (auto& spec : specs) {
      if (known.contains(spec.name)) {
        to_restart.push_back(std::move(spec));
      } else if (start_missing) {
        to_start.push_back(std::move(spec));
      } else {
        missing.push_back(spec.name + " (" + target + ")");
      }
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
    throw CliError("no app named " + list +
                   " is running, so there is nothing to restart; "
                   "nothing was changed. `cxpm startOrRestart <file>` starts what is missing and "
                   "restarts the rest");
  }
  if (!flags.env_profile.empty() && !any_file) {
    throw CliError(
        "--env NAME selects the env_NAME profile of an ecosystem file; name the "
        "file (to change variables of running apps, use --update-env)");
  }

  if (!flags.update_env && !to_restart.empty()) {
    std::vector<std::string> names;
    for (const auto& spec : to_restart) names.push_back(spec.name);
    auto current = current_environments(client, names);
    // What the apps inherited (a variable's most common value among the apps whose file does
    // not set it) becomes one shared base again, and the file's env each app's own, so that a
    // uid app's inherited HOME, USER, LOGNAME and SHELL stay its user's.
    std::map<std::string, std::map<std::string, std::size_t>> votes;
    for (const auto& spec : to_restart) {
      for (const auto& [name, value] : current[spec.name]) {
        if (!file_envs[spec.name].contains(name)) ++votes[name][value];
      }
    }
    Environment common;
    for (const auto& [name, values] : votes) {
      common[name] =
          std::ranges::max_element(values, {}, [](const auto& v) { return v.second; })->first;
    }
    const auto base = std::make_shared<const Environment>(std::move(common));
    for (auto& spec : to_restart) {
      Environment own;
      for (const auto& [name, value] : current[spec.name]) {
        if (auto shared = base->find(name); shared == base->end() || shared->second != value) {
          own[name] = value;
        }
      }
      for (const auto& [name, value] : file_envs[spec.name]) own[name] = value;
      spec.env = AppEnvironment(base, std::move(own));
    }
  }
  if (!to_restart.empty()) {
    RestartArgs args;
    args.apps = std::move(to_restart);
    call_verb(client, reload, args, flags);
  }
  if (!to_start.empty()) {
    StartArgs args;
    args.apps = std::move(to_start);
    call_lifecycle<method::Start>(client, args, *flags.wait);
  }
  if (!plain_targets.empty()) {
    RestartArgs args;
    args.targets = resolve_targets(client, plain_targets);
    if (flags.update_env) args.env = caller_environment();
    call_verb(client, reload, args, flags);
  }
  print_table(client, context);
}

void add_restart_verb(CLI::App& app, CommandContext& context, const std::string& name, bool reload,
                      const std::string& description, bool start_missing) {
  auto* command = app.add_subcommand(name, description);
  if (!context.builds(*command)) return;
  auto flags = std::make_shared<RestartFlags>();
  command
      ->add_option("targets", flags->targets,
                   start_missing ? "ecosystem files (.yaml, .yml, .json)"
                                 : "app names, process ids, 'all', or ecosystem files (whose "
                                   "apps get the file's current settings)")
      ->required();
  command->add_option("--only", flags->only, "with an ecosystem file: only these apps (a,b)");
  command->add_option("--env", flags->env_profile,
                      "with an ecosystem file: use its env_NAME profile over env");
  command->add_flag("--update-env", flags->update_env,
                    "give the apps this shell's environment instead of the one they were "
                    "started with (the file's env and env_NAME still come on top)");
  if (reload) {
    command->add_option("--parallel", flags->parallel, "instances replaced at a time (default 1)")
        ->check(CLI::PositiveNumber);
  }
  add_queue_wait_options(*command, flags->wait);
  command->callback([&context, flags, reload, start_missing] {
    run_restart(context, *flags, reload, start_missing);
  });
}

}  // namespace

void register_ecosystem_commands(CLI::App& app, CommandContext& context) {
  add_restart_verb(app, context, "restart", /*reload=*/false,
                   "Stop, then start apps again; an ecosystem file's apps get its current "
                   "settings (env, args, script, ...)",
                   false);
  add_restart_verb(app, context, "reload", /*reload=*/true,
                   "Replace apps' processes without downtime: each new process starts on the "
                   "same sockets and the old one stops only once the new one is ready "
                   "(wait_ready, listen_timeout). Fork-mode apps restart. An ecosystem file's "
                   "apps get its current settings",
                   false);
  add_restart_verb(app, context, "startOrRestart", /*reload=*/false,
                   "Start an ecosystem file's apps that are not running, restart the others "
                   "with the file's current settings",
                   true);
  add_restart_verb(app, context, "startOrReload", /*reload=*/true,
                   "Like startOrRestart, reloading the running apps without downtime", true);
  register_init_commands(app, context);
}

}  // namespace cxpm
