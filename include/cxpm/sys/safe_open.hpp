#pragma once
// Opening files where another user could have planted a symbolic link. A root daemon that
// opens a path by name writes wherever a link in it points, so paths are walked one
// component at a time from directory descriptors:
// - a link on the way is followed only when root or this process's user made it (nobody else
//   can make one of theirs; /dev/stdout and Debian's /var/run are such links); links that
//   /proc shows are the kernel's and are followed as the kernel does;
// - the file itself is opened with O_NOFOLLOW relative to its directory's descriptor, so it is
//   never a link, whatever happened to the path since it was walked;
// - in a directory that someone else may write, the file is opened as the app's user, with
//   that user's rights (a short-lived child switches user and passes the descriptor back),
//   or refused.

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// Whose rights a file is opened with.
struct FileUser {
  uid_t uid = 0;
  gid_t gid = 0;
};

// A directory reached without following a link that an untrusted user could have made.
class SafeDirectory {
 public:
  // `path` must be absolute. Throws SystemError with a sentence naming the offending link.
  static SafeDirectory open(const std::string& path);

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  const struct stat& info() const { return info_; }
  // Someone other than this process's user (or root) may add, remove or replace entries.
  bool writable_by_others() const;
  // The path of `name` in it, for messages.
  std::string path_of(const std::string& name) const;

 private:
  SafeDirectory(UniqueFd fd, std::string path);

  UniqueFd fd_;
  std::string path_;
  struct stat info_ {};
  bool on_procfs_ = false;

  friend struct SafePath;
  friend UniqueFd open_in(const SafeDirectory&, const std::string&, int, mode_t,
                          const std::optional<FileUser>&);
};

// A file's directory, opened safely, and its name there. A last component that is a link
// root or this process's user made is resolved too (/dev/stderr); any other link is refused.
struct SafePath {
  SafeDirectory directory;
  std::string name;

  static SafePath resolve(const std::string& path);
};

// Who opens files in `directory` for an app that runs as `app_user` (unset: as this process):
// nullopt for this process itself, or the app's user when someone other than this process's
// user may write the directory. Throws, saying how to fix it, when a directory others may
// write has no app user to open as (a sticky one such as /tmp excepted: entries there can be
// replaced by their owners only).
std::optional<FileUser> opener_in(const SafeDirectory& directory,
                                  const std::optional<FileUser>& app_user);

// Opens `name` (one component) in `directory` with O_NOFOLLOW and O_CLOEXEC added to `flags`,
// as `user` when given. A link there is refused with a sentence saying so; other failures
// throw SystemError. Opened as this process in a directory others may write (sticky), an
// existing file that is not this process's user's is refused: it could be anyone's.
UniqueFd open_in(const SafeDirectory& directory, const std::string& name, int flags, mode_t mode,
                 const std::optional<FileUser>& user = {});

}  // namespace cxpm
