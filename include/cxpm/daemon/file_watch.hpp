#pragma once
// `watch`: restart an app when files under its watched paths change.
//
// Directories are watched recursively, one inotify watch each through uv_fs_event (libuv's
// recursive flag does nothing on Linux), and directories created later are added as they
// appear. ignore_watch, dotfiles and node_modules are skipped, so they cost no watch at all.
// Changes are gathered until they stop for watch_delay (at least kMinimumQuiet): a burst — a
// git checkout, an editor's save-by-rename — gives one restart. Only instances that run (or
// wait to restart, or errored) restart; a change never starts an app someone stopped.

#include <uv.h>

#include <map>
#include <memory>
#include <string>

#include "cxpm/daemon/lifecycle_gate.hpp"
#include "cxpm/daemon/supervisor.hpp"

namespace cxpm {

class FileWatch final : public AppObserver {
 public:
  static constexpr Milliseconds kMinimumQuiet{100};
  // More directories than this in one app is almost always a data directory that belongs in
  // ignore_watch; the rest are not watched and the app's events say so.
  static constexpr std::size_t kMaxDirectories = 4096;

  FileWatch(uv_loop_t* loop, Supervisor& supervisor, LifecycleGate& gate);
  ~FileWatch() override;

  void on_app_added(App& app) override;
  void on_app_removed(App& app) override;

 private:
  class AppWatch;

  uv_loop_t* loop_;
  Supervisor& supervisor_;
  LifecycleGate& gate_;
  std::map<std::string, std::unique_ptr<AppWatch>, std::less<>> watches_;  // by app name
};

}  // namespace cxpm
