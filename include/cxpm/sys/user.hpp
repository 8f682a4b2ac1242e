#pragma once
// Who an app runs as (`uid`, `gid`): names or numbers resolved through the system's user
// database, and whether this process may switch to them at all.

#include <sys/types.h>

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

// Gives an app's environment its user's HOME, USER, LOGNAME and SHELL. The app's environment
// arrives merged with the caller's, so a value that is the daemon's own (in its environment,
// or its user's passwd entry: HOME=/root under root) is taken to be inherited and replaced;
// any other value was set for the app and is kept.
void add_user_environment(const RunAs& run_as, std::map<std::string, std::string>& env);

}  // namespace cxpm
