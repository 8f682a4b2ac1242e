#include "cxpm/config/systemd_unit.hpp"

#include <stdexcept>

namespace cxpm {
namespace {

void refuse_unwritable(const char* what, const std::string& value) {
  if (value.find_first_of("\n\r") != std::string::npos || value.find('\0') != std::string::npos) {
    throw std::invalid_argument(std::string(what) + " holds a line break, which a unit file " +
                                "cannot carry: " + value);
  }
}

// A word for a unit file's Environment= or Exec line, in double quotes: backslash and quote
// escaped, '%' doubled (specifiers), and in Exec lines '$' doubled (variables).
std::string quoted(const std::string& value, bool in_exec_line) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '%') out += '%';
    if (c == '$' && in_exec_line) out += '$';
    out += c;
  }
  return out + "\"";
}

void require_absolute(const char* what, const std::string& path) {
  if (path.empty() || path.front() != '/') {
    throw std::invalid_argument(std::string(what) + " must be an absolute path, got '" + path +
                                "'");
  }
}

std::string unit_header(const BootUnit& unit) {
  switch (unit.kind) {
    case UnitKind::one_user:
      return "# Written by `cxpm startup` (cxpm " + unit.version +
             "); removed by `cxpm unstartup`.\n# At boot: the cxpm daemon as " + unit.user +
             ", bringing back the apps saved with `cxpm save`.\n";
    case UnitKind::user_template:
      return "# Installed by the cxpm package (cxpm " + unit.version +
             "), the unit `cxpm startup` writes, for any user:\n"
             "#   systemctl enable --now cxpm@alice\n"
             "# At boot: alice's cxpm daemon (CXPM_HOME ~alice/.cxpm), bringing back the apps "
             "saved with `cxpm save`.\n";
    case UnitKind::user_manager:
      return "# Installed by the cxpm package (cxpm " + unit.version +
             "): your cxpm daemon under your own service manager:\n"
             "#   systemctl --user enable --now cxpm     (and `loginctl enable-linger` to start "
             "it at boot)\n"
             "# It brings back the apps saved with `cxpm save` (CXPM_HOME ~/.cxpm).\n";
  }
  return {};
}

std::string description_subject(const BootUnit& unit) {
  switch (unit.kind) {
    case UnitKind::one_user:
      return unit.user;
    case UnitKind::user_template:
      return "%i";
    case UnitKind::user_manager:
      return "%u";
  }
  return {};
}

}  // namespace

std::string systemd_unit_text(const BootUnit& unit) {
  const bool one_user = unit.kind == UnitKind::one_user;
  refuse_unwritable("PATH", unit.path_env);
  refuse_unwritable("the cxpm binary's path", unit.executable);
  require_absolute("the cxpm binary's path", unit.executable);
  if (one_user) {
    refuse_unwritable("the user name", unit.user);
    refuse_unwritable("CXPM_HOME", unit.cxpm_home);
    require_absolute("CXPM_HOME", unit.cxpm_home);
    if (unit.user.empty()) throw std::invalid_argument("the unit needs a user");
  }

  std::string text = unit_header(unit);
  text += "[Unit]\n";
  text += "Description=cxpm process manager for " + description_subject(unit) + "\n";
  // Only beside the package's man page: systemd-analyze verify fails on a page not installed.
  if (!one_user) text += "Documentation=man:cxpm(1)\n";
  // A user's own manager cannot wait for the system's network target.
  if (unit.kind != UnitKind::user_manager) {
    text += "Wants=network-online.target\n";
    text += "After=network-online.target\n";
  }
  text += "\n[Service]\n";
  // The main pid is the keeper (`cxpm daemon`), the small process that outlives the daemon
  // proper; the daemon says READY=1 once it answers and the saved apps are started, and the
  // keeper sends that on: nothing waits on a guessed sleep, and only the main pid is heard
  // (NotifyAccess=main: an app of the unit cannot claim the service is ready or stopping).
  text += "Type=notify\n";
  text += "NotifyAccess=main\n";
  // With User=, systemd sets HOME to the user's, where the daemon finds ~/.cxpm.
  if (one_user) text += "User=" + unit.user + "\n";
  if (unit.kind == UnitKind::user_template) text += "User=%i\n";
  text += "Environment=" + quoted("PATH=" + unit.path_env, false);
  if (one_user) text += " " + quoted("CXPM_HOME=" + unit.cxpm_home, false);
  text += "\n";
  // A user's manager may not raise its own hard limit; the system manager may.
  if (unit.kind != UnitKind::user_manager) text += "LimitNOFILE=infinity\n";
  text += "ExecStart=" + quoted(unit.executable, true) + " daemon --resurrect\n";
  // `systemctl stop` sends SIGTERM to the keeper alone, which passes it to the daemon; that
  // stops every app gracefully (its kill_signal, then SIGKILL after its kill_timeout), then
  // both exit; only what is still there after TimeoutStopSec (90 s by default) is killed.
  text += "KillMode=mixed\n";
  // A daemon that crashed is started again by the keeper at once, the apps untouched; this
  // is for the keeper itself (then the apps go with it, and the saved list starts again).
  // One stopped with `cxpm kill` stays stopped.
  text += "Restart=on-failure\n";
  text += "RestartSec=1\n";
  // The daemon gives each app a cgroup of its own below its unit's (process tracking).
  text += "Delegate=yes\n";
  text += "\n[Install]\n";
  text += unit.kind == UnitKind::user_manager ? "WantedBy=default.target\n"
                                              : "WantedBy=multi-user.target\n";
  return text;
}

std::string default_service_name(const std::string& user) {
  return "cxpm-" + user;
}

std::string service_name_from(const std::string& given) {
  std::string name = given;
  const std::string suffix = ".service";
  if (name.size() > suffix.size() && name.ends_with(suffix))
    name.resize(name.size() - suffix.size());
  if (name.empty() || name.size() > 200) return {};
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
    if (!allowed) return {};
  }
  return name;
}

}  // namespace cxpm
