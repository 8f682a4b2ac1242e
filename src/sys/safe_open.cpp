#include "cxpm/sys/safe_open.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <stdexcept>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/open_as_user.hpp"

namespace cxpm {
namespace {

constexpr int kMaxLinks = 40;  // as the kernel's ELOOP limit

bool trusted_owner(uid_t owner) {
  return owner == 0 || owner == ::geteuid();
}

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

void split_into(std::deque<std::string>& parts, const std::string& path) {
  std::deque<std::string> split;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    if (end > start && path.compare(start, end - start, ".") != 0) {
      split.push_back(path.substr(start, end - start));
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  parts.insert(parts.begin(), split.begin(), split.end());
}

UniqueFd open_root() {
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) throw_system_error("cannot open /");
  return root;
}

bool is_procfs(int fd) {
  struct statfs info {};
  return ::fstatfs(fd, &info) == 0 && info.f_type == PROC_SUPER_MAGIC;
}

// One walk along a path: the directory reached so far and what is left of the path.
class Walk {
 public:
  explicit Walk(const std::string& path) : path_(path), directory_(open_root()) {
    if (path.empty() || path.front() != '/') {
      throw std::runtime_error("cannot open " + path + ": not an absolute path");
    }
    split_into(rest_, path);
  }

  // Walks to the last component and returns it (empty for "/"), or to the end.
  std::string walk(bool keep_last) {
    while (!rest_.empty()) {
      std::string name = std::move(rest_.front());
      rest_.pop_front();
      if (keep_last && rest_.empty() && name != "..") {
        if (!is_procfs(directory_.get()) && follow_if_link(name, false)) continue;
        return name;
      }
      enter(name);
    }
    return {};
  }

  UniqueFd take_directory() { return std::move(directory_); }

 private:
  void enter(const std::string& name) {
    // Links /proc shows (/proc/self, fd/N) are the kernel's: follow them as it does.
    const int nofollow = is_procfs(directory_.get()) ? 0 : O_NOFOLLOW;
    UniqueFd next(
        ::openat(directory_.get(), name.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC | nofollow));
    if (next) {
      directory_ = std::move(next);
      return;
    }
    const int error = errno;
    if ((error == ENOTDIR || error == ELOOP) && follow_if_link(name, true)) return;
    throw_system_error("cannot open " + path_, error);
  }

  // Splices a trusted link's target into the rest of the path; false if `name` is no link.
  bool follow_if_link(const std::string& name, bool in_the_middle) {
    UniqueFd link(::openat(directory_.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat info {};
    if (!link || ::fstat(link.get(), &info) != 0 || !S_ISLNK(info.st_mode)) return false;
    if (!trusted_owner(info.st_uid)) {
      const std::string what = in_the_middle ? "a directory on the way is" : "it is";
      throw std::runtime_error("cannot open " + path_ + ": " + what +
                               " a symbolic link made by uid " + std::to_string(info.st_uid) +
                               " (" + name +
                               "); cxpm follows only links made by root or by its "
                               "own user: replace the link with the real path");
    }
    if (++links_ > kMaxLinks) throw_system_error("cannot open " + path_, ELOOP);
    std::string target(static_cast<std::size_t>(info.st_size) + 256, '\0');
    const ssize_t length = ::readlinkat(link.get(), "", target.data(), target.size());
    if (length < 0) throw_system_error("cannot read the link " + name + " in " + path_);
    target.resize(static_cast<std::size_t>(length));
    if (!target.empty() && target.front() == '/') directory_ = open_root();
    split_into(rest_, target);
    return true;
  }

  const std::string& path_;
  UniqueFd directory_;
  std::deque<std::string> rest_;
  int links_ = 0;
};

std::string parent_for_messages(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

SafeDirectory::SafeDirectory(UniqueFd fd, std::string path)
    : fd_(std::move(fd)), path_(std::move(path)) {
  if (::fstat(fd_.get(), &info_) != 0) throw_system_error("cannot read " + path_);
  on_procfs_ = is_procfs(fd_.get());
}

SafeDirectory SafeDirectory::open(const std::string& path) {
  Walk walk(path);
  walk.walk(false);
  return SafeDirectory(walk.take_directory(), path);
}

bool SafeDirectory::writable_by_others() const {
  if (on_procfs_) return false;
  if (!trusted_owner(info_.st_uid)) return true;
  return (info_.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

std::string SafeDirectory::path_of(const std::string& name) const {
  return path_ == "/" ? "/" + name : path_ + "/" + name;
}

SafePath SafePath::resolve(const std::string& path) {
  Walk walk(path);
  std::string name = walk.walk(true);
  if (name.empty()) throw std::runtime_error("cannot open " + path + ": it is a directory");
  return {SafeDirectory(walk.take_directory(), parent_for_messages(path)), std::move(name)};
}

std::optional<FileUser> opener_in(const SafeDirectory& directory,
                                  const std::optional<FileUser>& app_user) {
  if (!directory.writable_by_others()) return std::nullopt;
  if (app_user && app_user->uid != ::geteuid()) return app_user;
  if ((directory.info().st_mode & S_ISVTX) != 0) return std::nullopt;
  throw std::runtime_error(
      "cannot write in " + directory.path() + ": other users may change it (owner uid " +
      std::to_string(directory.info().st_uid) + ", mode " + mode_text(directory.info().st_mode) +
      "), so a link or file planted there could redirect the daemon's writes; make it the "
      "daemon's user's alone (chown, chmod go-w " +
      directory.path() + "), or run the app as the user who owns it (uid:)");
}

UniqueFd open_in(const SafeDirectory& directory, const std::string& name, int flags, mode_t mode,
                 const std::optional<FileUser>& user) {
  const std::string path = directory.path_of(name);
  // /proc's links are the kernel's (/dev/stderr ends at /proc/self/fd/2).
  const int nofollow = directory.on_procfs_ ? 0 : O_NOFOLLOW;
  const int all_flags = flags | O_CLOEXEC | nofollow;
  UniqueFd fd;
  int error = 0;
  if (user && user->uid != ::geteuid()) {
    fd = open_as_user(directory.fd(), name, all_flags, mode, *user, error);
  } else {
    fd.reset(::openat(directory.fd(), name.c_str(), all_flags, mode));
    error = errno;
  }
  if (!fd) {
    struct stat info {};
    if (error == ELOOP &&
        ::fstatat(directory.fd(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(info.st_mode)) {
      throw std::runtime_error("cannot open " + path + ": it is a symbolic link (made by uid " +
                               std::to_string(info.st_uid) +
                               "); cxpm never writes through a link there: remove it");
    }
    const std::string as =
        user && user->uid != ::geteuid() ? " as uid " + std::to_string(user->uid) : "";
    throw_system_error("cannot open " + path + as, error);
  }
  if (!user && directory.writable_by_others()) {
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) throw_system_error("cannot read " + path);
    if (S_ISREG(info.st_mode) && info.st_uid != ::geteuid()) {
      throw std::runtime_error("cannot open " + path + ": it belongs to uid " +
                               std::to_string(info.st_uid) + " in a directory others may write (" +
                               directory.path() + "); remove it or choose another path");
    }
  }
  return fd;
}

}  // namespace cxpm
