#pragma once
// Opening a file with another user's rights, from a multi-threaded root process: a
// short-lived child takes the user's groups and ids (which setfsuid in the daemon itself
// would change for one thread only, and racily) and passes the descriptor back over a
// socket pair (SCM_RIGHTS). The kernel then checks that user's permissions, so a link the
// user planted reaches only what that user could write anyway.

#include <string>

#include "cxpm/sys/safe_open.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// openat(directory_fd, name, flags, mode) as `user`, with that user's supplementary groups.
// On failure returns an empty descriptor and sets `error` to the errno.
UniqueFd open_as_user(int directory_fd, const std::string& name, int flags, mode_t mode,
                      const FileUser& user, int& error);

}  // namespace cxpm
