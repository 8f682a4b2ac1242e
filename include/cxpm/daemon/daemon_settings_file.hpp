#pragma once
// $CXPM_HOME/cxpm.yaml (config/daemon_settings.hpp), read at the daemon's start and again when
// it changes (libuv's fs poll, every kPollInterval: its stat runs on the thread pool) or on
// SIGHUP. A file that does not parse is said in daemon.log with file:line:column, kept as
// problem() for `ls` to show, and changes nothing: the settings before it stay. No file is no
// settings.

#include <uv.h>

#include <functional>
#include <string>

#include "cxpm/config/daemon_settings.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/home.hpp"

namespace cxpm {

class DaemonSettingsFile {
 public:
  static constexpr const char* kFileName = "cxpm.yaml";
  static constexpr std::size_t kMaxBytes = 1024 * 1024;
  static constexpr unsigned kPollInterval = 1000;  // ms
  using Changed = std::function<void(const DaemonSettings&)>;

  // Reads the file once now (telling `changed` of what it holds), then watches it.
  DaemonSettingsFile(uv_loop_t* loop, const Home& home, Changed changed);

  void reload();
  // Why the file on disk is not in use ("cxpm.yaml:3:12: ..."); empty when it is.
  const std::string& problem() const { return problem_; }

 private:
  Home home_;
  Changed changed_;
  UvHandle<uv_fs_poll_t> poll_;
  std::string problem_;
  DaemonSettings current_;
};

}  // namespace cxpm
