#pragma once
// The systemd unit `cxpm startup` writes: the daemon at boot, as one user, in the foreground
// (Type=notify), bringing back the saved list. Pure text; writing and enabling it is the CLI's.

#include <string>

namespace cxpm {

// Which unit: the one `cxpm startup` writes for one user, or one the package installs, which
// names no user (a template, cxpm@alice.service) or runs under that user's own manager.
enum class UnitKind {
  one_user,       // /etc/systemd/system/cxpm-alice.service, written by `cxpm startup`
  user_template,  // cxpm@.service: User=%i, CXPM_HOME from the user's HOME
  user_manager,   // `systemctl --user`: the user's own service manager, no User=
};

struct BootUnit {
  std::string user;                    // User=
  std::string cxpm_home;               // CXPM_HOME=, absolute
  std::string path_env;                // PATH= the daemon (and `bash -c` apps) look programs up on
  std::string executable;              // the cxpm binary, absolute
  std::string version;                 // in the header comment
  UnitKind kind = UnitKind::one_user;  // user and cxpm_home are unused unless one_user
};

// The unit file's text. Throws std::invalid_argument, naming the value, when one cannot be
// written in a unit file (a newline, a relative path).
std::string systemd_unit_text(const BootUnit& unit);

// "cxpm-alice": the unit's name without ".service", as pm2's "pm2-alice".
std::string default_service_name(const std::string& user);

// A --service-name as given ("web", "web.service"), without ".service"; empty when it cannot
// name a plain unit (a slash, a space, an '@' of a template, ...).
std::string service_name_from(const std::string& given);

}  // namespace cxpm
