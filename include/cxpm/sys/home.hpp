#pragma once
// $CXPM_HOME and the files in it (see docs/architecture.md, "On disk").

#include <string>

namespace cxpm {

struct Home {
  std::string dir;  // $CXPM_HOME, or ~/.cxpm

  static Home from_environment();

  std::string socket_path() const { return dir + "/cxpm.sock"; }
  std::string pid_path() const { return dir + "/daemon.pid"; }
  std::string log_path() const { return dir + "/daemon.log"; }
  std::string logs_dir() const { return dir + "/logs"; }
  std::string notify_socket_path() const { return dir + "/notify.sock"; }
  std::string dump_path() const { return dir + "/dump.json"; }

  // Creates the directory (mode 0700) and logs/ when missing; refuses a home that another
  // user owns or that others may write, since the daemon runs whatever it is told to.
  void prepare() const;
};

}  // namespace cxpm
