#pragma once
// Who an app runs as (`uid`, `gid`): names or numbers resolved through the system's user
// database, and whether this process may switch to them at all.

#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cxpm {

struct RunAs {
  std::optional<uid_t> uid;  // unset: as the daemon
  std::optional<gid_t> gid;  // unset: as the daemon; with uid, the user's primary group
  // With gid: the supplementary groups, as initgroups(3) would set them (the user's groups
  // from the group database, and gid). Empty for a group alone or a user without an entry.
  // Resolved here, in the daemon: after fork the child may only call setgroups(2).
  std::vector<gid_t> groups;
  // With uid: HOME, USER, LOGNAME and SHELL of that user (from its passwd entry; a number
  // without one gets HOME=/ and its number as USER and LOGNAME).
  std::map<std::string, std::string> environment;
};

// Resolves `user` and `group` (each a name, a number, or empty). A user without a group runs
// with that user's primary group, never with the daemon's (root's) group. Switching to an id
// other than our own needs root: otherwise the error says so. Errors are sentences: "uid: no
// user named 'ngnix' on this machine".
std::variant<RunAs, std::string> resolve_run_as(const std::string& user, const std::string& group);

// Gives the environment of an app that runs as `run_as`'s user that user's HOME, USER,
// LOGNAME and SHELL, except those the app sets itself (`set_by_app`: its own `env`, not what
// it inherited from the caller's environment). The app's own env wins.
void add_user_environment(const RunAs& run_as, std::map<std::string, std::string>& env,
                          const std::function<bool(const std::string&)>& set_by_app);

}  // namespace cxpm
