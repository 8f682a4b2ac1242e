#pragma once
// $CXPM_HOME and the files in it (see docs/architecture.md, "On disk").

#include <sys/types.h>

#include <string>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

struct Home {
  std::string dir;  // $CXPM_HOME, or ~/.cxpm

  static Home from_environment();

  std::string socket_path() const { return dir + "/cxpm.sock"; }
  std::string pid_path() const { return dir + "/daemon.pid"; }
  std::string log_path() const { return dir + "/daemon.log"; }
  std::string logs_dir() const { return dir + "/logs"; }
  std::string dump_path() const { return dir + "/dump.json"; }

  // Creates the directory (mode 0700) and logs/ when missing; refuses a home or logs/ that
  // another user owns or that others may write, and any link among the daemon's own files,
  // saying how to fix it (it never chmods: links planted meanwhile would stay).
  void prepare() const;

  // Opens `name` in the home without following a link (throws, saying so, on one).
  UniqueFd open_file(const std::string& name, int flags, mode_t mode = 0600) const;
};

}  // namespace cxpm
