// startup, unstartup: the systemd unit that starts the daemon at boot and brings back the
// saved list (the unit's text is config/systemd_unit.cpp).
//
// For tests and packagers: CXPM_SYSTEMD_UNIT_DIR replaces /etc/systemd/system (and lets a
// user other than root write there), CXPM_SYSTEMCTL the systemctl that is run.

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "cxpm/cli/client.hpp"
#include "cxpm/cli/commands.hpp"
#include "cxpm/config/systemd_unit.hpp"
#include "cxpm/sys/error.hpp"

extern char** environ;

namespace cxpm {
namespace {

constexpr const char* kUnitHeader = "# Written by `cxpm startup`";

struct StartupFlags {
  std::string platform = "systemd";
  std::string user;
  std::string home;
  std::string service_name;
};

std::string environment_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string unit_directory() {
  return environment_or("CXPM_SYSTEMD_UNIT_DIR", "/etc/systemd/system");
}

// Root writes the real directory; anyone may write a directory given for a test.
bool may_write_units() {
  return ::geteuid() == 0 || std::getenv("CXPM_SYSTEMD_UNIT_DIR") != nullptr;
}

std::string own_executable() {
  char path[PATH_MAX];
  const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) throw_system_error("cannot find the cxpm binary (/proc/self/exe)");
  return std::string(path, static_cast<std::size_t>(length));
}

// 'a b' for the shell: a command printed to be pasted must mean what it says.
std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./:=@%+,") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Account {
  std::string name;
  std::string home;
};

Account account_of(const StartupFlags& flags) {
  const passwd* entry =
      flags.user.empty() ? ::getpwuid(::geteuid()) : ::getpwnam(flags.user.c_str());
  if (!entry) {
    throw CliError(flags.user.empty() ? std::string("cannot find this process's user")
                                      : "-u: no user named '" + flags.user + "' on this machine");
  }
  Account account{entry->pw_name, flags.home.empty() ? std::string(entry->pw_dir) : flags.home};
  if (account.home.empty() || account.home.front() != '/') {
    throw CliError("--hp: the home directory must be an absolute path, got '" + account.home + "'");
  }
  return account;
}

std::string service_name_of(const StartupFlags& flags, const Account& account) {
  if (flags.service_name.empty()) return default_service_name(account.name);
  std::string name = service_name_from(flags.service_name);
  if (name.empty()) {
    throw CliError("--service-name: '" + flags.service_name +
                   "' cannot name a unit (letters, digits, '-', '_', '.', ':')");
  }
  return name;
}

void check_platform(const StartupFlags& flags) {
  if (flags.platform != "systemd") {
    throw CliError("startup: only systemd is supported, not '" + flags.platform + "'");
  }
}

// The line a non-root user pastes, as pm2 prints it: this very command, under sudo, with
// this PATH (sudo resets it) and CXPM_HOME if one is set.
void print_root_command(const std::string& verb, const StartupFlags& flags, const Account& account,
                        const std::string& unit_path) {
  std::string line = "sudo env " + shell_word("PATH=" + environment_or("PATH", "/usr/bin:/bin"));
  if (const char* home = std::getenv("CXPM_HOME"))
    line += " " + shell_word(std::string("CXPM_HOME=") + home);
  line +=
      " " + shell_word(own_executable()) + " " + verb + " systemd -u " + shell_word(account.name);
  if (verb == "startup") line += " --hp " + shell_word(account.home);
  if (!flags.service_name.empty()) line += " --service-name " + shell_word(flags.service_name);
  fmt::print("{} needs root to {} {}; run this as root:\n{}\n", verb,
             verb == "startup" ? "write" : "remove", unit_path, line);
}

// Runs a program with the terminal as its output; returns its exit status (-1: not run).
int run_program(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int systemctl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{environment_or("CXPM_SYSTEMCTL", "systemctl")};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

// temp, fsync, rename: a unit is never seen half written by a daemon-reload.
void write_unit_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".cxpm-new";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw_system_error("cannot write " + temporary);
  const bool written = ::fchmod(fd, 0644) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const int error = errno;
  if (::close(fd) != 0 || !written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const int failure = written ? errno : error;
    ::unlink(temporary.c_str());
    throw_system_error("cannot write " + path, failure);
  }
}

void startup(const StartupFlags& flags) {
  check_platform(flags);
  const Account account = account_of(flags);
  const std::string name = service_name_of(flags, account);
  const std::string unit_path = unit_directory() + "/" + name + ".service";
  if (!may_write_units()) return print_root_command("startup", flags, account, unit_path);

  const std::string executable = own_executable();
  std::string path = environment_or("PATH", "/usr/local/bin:/usr/bin:/bin");
  const std::string bin_dir = executable.substr(0, executable.rfind('/'));
  if ((":" + path + ":").find(":" + bin_dir + ":") == std::string::npos) path += ":" + bin_dir;
  BootUnit unit{account.name, environment_or("CXPM_HOME", account.home + "/.cxpm"), path,
                executable, CXPM_VERSION};
  std::string text;
  try {
    text = systemd_unit_text(unit);
  } catch (const std::invalid_argument& error) {
    throw CliError(std::string("startup: ") + error.what());
  }
  write_unit_file(unit_path, text);
  fmt::print("wrote {}\n", unit_path);
  if (systemctl({"daemon-reload"}) != 0) {
    fmt::print(stderr, "note: `systemctl daemon-reload` failed (is systemd running?)\n");
  }
  if (systemctl({"enable", name + ".service"}) != 0) {
    throw CliError("`systemctl enable " + name +
                   ".service` failed; the unit is written but will "
                   "not start at boot");
  }
  fmt::print(
      "enabled {0}.service: at boot the daemon starts as {1} (CXPM_HOME={2}) and brings back "
      "the apps saved with `cxpm save`\n"
      "save the apps to bring back with `cxpm save` (as {1}); to run them under systemd now: "
      "`cxpm save && cxpm kill && systemctl start {0}` (they restart from the saved list)\n",
      name, account.name, unit.cxpm_home);
}

void unstartup(const StartupFlags& flags) {
  check_platform(flags);
  const Account account = account_of(flags);
  const std::string name = service_name_of(flags, account);
  const std::string unit_path = unit_directory() + "/" + name + ".service";
  if (!may_write_units()) return print_root_command("unstartup", flags, account, unit_path);

  std::ifstream unit(unit_path);
  if (!unit) {
    throw CliError("no unit " + unit_path + " to remove (`cxpm startup` writes " +
                   default_service_name(account.name) + ".service; --service-name names another)");
  }
  std::string first_line;
  std::getline(unit, first_line);
  if (!first_line.starts_with(kUnitHeader)) {
    throw CliError(unit_path + " was not written by `cxpm startup`; it is left as it is");
  }
  if (systemctl({"disable", name + ".service"}) != 0) {
    fmt::print(stderr, "note: `systemctl disable {}.service` failed\n", name);
  }
  if (::unlink(unit_path.c_str()) != 0) throw_system_error("cannot remove " + unit_path);
  if (systemctl({"daemon-reload"}) != 0) {
    fmt::print(stderr, "note: `systemctl daemon-reload` failed (is systemd running?)\n");
  }
  fmt::print(
      "disabled and removed {}; a daemon it started runs until stopped (`systemctl "
      "stop {}` or `cxpm kill`)\n",
      unit_path, name);
}

void add_flags(CLI::App& command, StartupFlags& flags, bool with_home) {
  command.add_option("platform", flags.platform, "the init system: systemd (the only one)");
  command.add_option("-u,--user", flags.user, "the user the daemon runs as [the caller]");
  if (with_home) {
    command.add_option("--hp", flags.home,
                       "that user's home: CXPM_HOME is <home>/.cxpm unless $CXPM_HOME is set "
                       "[from the user database]");
  }
  command.add_option("--service-name", flags.service_name, "the unit's name [cxpm-<user>]");
}

}  // namespace

void register_startup_commands(CLI::App& app, CommandContext&) {
  auto* startup_command = app.add_subcommand(
      "startup",
      "Start the daemon at boot with systemd, as a user, bringing back the apps saved with "
      "`cxpm save`: writes and enables /etc/systemd/system/cxpm-<user>.service (as root; "
      "otherwise prints the command to run as root)");
  auto startup_flags = std::make_shared<StartupFlags>();
  add_flags(*startup_command, *startup_flags, /*with_home=*/true);
  startup_command->callback([startup_flags] { startup(*startup_flags); });

  auto* unstartup_command =
      app.add_subcommand("unstartup", "Disable and remove the boot unit `cxpm startup` wrote");
  auto unstartup_flags = std::make_shared<StartupFlags>();
  add_flags(*unstartup_command, *unstartup_flags, /*with_home=*/false);
  unstartup_command->callback([unstartup_flags] { unstartup(*unstartup_flags); });
}

}  // namespace cxpm
