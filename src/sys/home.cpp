#include "cxpm/sys/home.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

std::string user_home() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_dir) return entry->pw_dir;
  throw std::runtime_error("cannot find your home directory: set HOME or CXPM_HOME");
}

void make_private_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) < 0 && errno != EEXIST) {
    throw_system_error("cannot create " + path);
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) < 0) throw_system_error("cannot read " + path);
  if (!S_ISDIR(info.st_mode)) throw std::runtime_error(path + " exists and is not a directory");
  if (info.st_uid != ::getuid()) {
    throw std::runtime_error(path + " belongs to uid " + std::to_string(info.st_uid) +
                             ", not to you (uid " + std::to_string(::getuid()) +
                             "); set CXPM_HOME to a directory of your own");
  }
  if ((info.st_mode & 0077) != 0 && ::chmod(path.c_str(), 0700) < 0) {
    throw_system_error("cannot make " + path + " private (mode 0700)");
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
  make_private_dir(dir);
  make_private_dir(logs_dir());
}

}  // namespace cxpm
