#pragma once
// Who an app runs as (`uid`, `gid`): names or numbers resolved through the system's user
// database, and whether this process may switch to them at all.

#include <sys/types.h>

#include <optional>
#include <string>
#include <variant>

namespace cxpm {

struct RunAs {
  std::optional<uid_t> uid;  // unset: as the daemon
  std::optional<gid_t> gid;  // unset: as the daemon; with uid, the user's primary group
};

// Resolves `user` and `group` (each a name, a number, or empty). A user without a group runs
// with that user's primary group, never with the daemon's (root's) group. Switching to an id
// other than our own needs root: otherwise the error says so. Errors are sentences: "uid: no
// user named 'ngnix' on this machine".
std::variant<RunAs, std::string> resolve_run_as(const std::string& user, const std::string& group);

}  // namespace cxpm
