#include "cxpm/sys/home.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/safe_open.hpp"

namespace cxpm {
namespace {

// What the daemon writes in $CXPM_HOME: none of it may be a link, whoever made it.
constexpr const char* kOwnEntries[] = {"cxpm.sock",  "daemon.pid", "keeper.pid",
                                       "daemon.log", "dump.json",  "logs"};

std::string user_home() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_dir) return entry->pw_dir;
  throw std::runtime_error("cannot find your home directory: set HOME or CXPM_HOME");
}

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Refuses, never repairs: a directory that others could write may already hold their links,
// and chmod-ing it now would not take them out.
void check_private(const std::string& path, const struct stat& info) {
  if (!S_ISDIR(info.st_mode)) throw std::runtime_error(path + " exists and is not a directory");
  if (info.st_uid != ::geteuid()) {
    throw std::runtime_error(path + " belongs to uid " + std::to_string(info.st_uid) +
                             ", not to you (uid " + std::to_string(::geteuid()) +
                             "); set CXPM_HOME to a directory of your own");
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw std::runtime_error(path + " may be written by other users (mode " + octal(info.st_mode) +
                             "), who could plant links in it; check what is in it, then make it "
                             "private: chmod 700 " +
                             path);
  }
}

void refuse_links(const SafeDirectory& home) {
  for (const char* name : kOwnEntries) {
    struct stat info {};
    if (::fstatat(home.fd(), name, &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode)) {
      const std::string path = home.path_of(name);
      throw std::runtime_error(path +
                               " is a symbolic link; cxpm never follows links in its "
                               "home (someone could point them at any file): rm " +
                               path);
    }
  }
}

}  // namespace

Home Home::from_environment() {
  if (const char* home = std::getenv("CXPM_HOME"); home && *home) {
    std::string dir = home;
    // Absolute, so a daemon started from another directory finds the same home.
    if (dir.front() != '/') {
      char cwd[4096];
      if (::getcwd(cwd, sizeof cwd)) dir = std::string(cwd) + "/" + dir;
    }
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return Home{dir};
  }
  return Home{user_home() + "/.cxpm"};
}

void Home::prepare() const {
  // Created here, it is ours and private; found, it is checked and left as it is.
  if (::mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST) throw_system_error("cannot create " + dir);
  const SafeDirectory home = SafeDirectory::open(dir);
  check_private(dir, home.info());
  refuse_links(home);
  if (::mkdirat(home.fd(), "logs", 0700) < 0 && errno != EEXIST) {
    throw_system_error("cannot create " + logs_dir());
  }
  struct stat logs {};
  if (::fstatat(home.fd(), "logs", &logs, AT_SYMLINK_NOFOLLOW) != 0) {
    throw_system_error("cannot read " + logs_dir());
  }
  check_private(logs_dir(), logs);
}

UniqueFd Home::open_file(const std::string& name, int flags, mode_t mode) const {
  return open_in(SafeDirectory::open(dir), name, flags, mode);
}

}  // namespace cxpm
