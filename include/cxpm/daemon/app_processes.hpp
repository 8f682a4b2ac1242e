#pragma once
// Every process an app started, however it left its parent: a program that double-forks a
// daemon is reparented to us (the subreaper) and is no longer the app's descendant, yet it
// keeps the app's port. Two ways to find them, chosen once at daemon start:
// - cgroup: each spawn gets a leaf of the daemon's cgroup v2 subtree, joined between fork and
//   exec; its members are the spawn's processes, cgroup.kill ends them all, cpu.stat counts
//   their CPU time.
// - environ: without a writable cgroup v2 (or with CXPM_NO_CGROUPS=1 in the daemon's
//   environment), each spawn's environment carries CXPM_SPAWN_ID, which its processes
//   inherit; a process is the spawn's when it is below one of the daemon's children (or the
//   keeper's: an earlier daemon's apps re-parent to it when that daemon dies) whose
//   /proc/<pid>/environ holds that value. A process that execs with a fresh environment and
//   double-forks escapes this; only a cgroup cannot be left. Each child's environ is read
//   once per loop turn (and again after a spawn): stopping 1,000 apps in one command is one
//   scan of the daemon's children, not one per app.

#include <sys/types.h>
#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cxpm/core/clock.hpp"
#include "cxpm/sys/cgroup.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// Where one spawn's processes are.
struct SpawnTag {
  std::string token;   // CXPM_SPAWN_ID's value: "<daemon pid>.<spawn number>"
  std::string cgroup;  // its cgroup leaf; empty when tracking by environment
};

class AppProcesses {
 public:
  static constexpr const char* kTokenVariable = "CXPM_SPAWN_ID";

  explicit AppProcesses(uv_loop_t* loop);
  ~AppProcesses();

  // "cgroup" or "environ", as `describe` shows it.
  const char* mechanism() const { return cgroups_ ? "cgroup" : "environ"; }

  // Before a spawn: its tag, and with cgroups the leaf's cgroup.procs for the child to join.
  struct Prepared {
    SpawnTag tag;
    UniqueFd join_fd;
    std::string error;  // empty when ready
    int error_number = 0;
  };
  Prepared prepare(const std::string& app_name, int index);

  // The spawn's live processes, leader included.
  std::vector<pid_t> members(const SpawnTag& tag) const;
  // `signal_number` to each of the spawn's processes outside `group` and not in `signalled`:
  // the caller signals those itself, and a process must not get a stop signal twice (a
  // second SIGINT means "force quit" to many programs).
  void signal_outside_group(const SpawnTag& tag, pid_t group, int signal_number,
                            const std::vector<pid_t>& signalled) const;
  // SIGKILL to all of the spawn's processes; returns the pids to wait for: those, and (by
  // environment) the daemon's children that were already exiting, whose tag cannot be read.
  std::vector<pid_t> kill_all(const SpawnTag& tag) const;
  // Under a keeper: what an earlier daemon started re-parents to the keeper when that daemon
  // dies, so a spawn's processes are looked for among the keeper's children too.
  void look_under_keeper(pid_t keeper) { keeper_ = keeper; }
  // SIGKILL to every spawn among the keeper's children that is none of `known` (the spawns
  // the app table recorded): an earlier daemon started it after the last table it saved, so
  // no app here owns it and nobody reads its output. Returns the pids killed.
  std::vector<pid_t> kill_untracked(const std::vector<SpawnTag>& known) const;
  // Runs `done` once every one of `pids` has exited, or after `timeout`.
  void when_gone(const std::vector<pid_t>& pids, Milliseconds timeout, std::function<void()> done);

  // The spawn is over: its leaf goes once it is empty (now, or at a later sweep()).
  void retire(SpawnTag tag);
  // Removes retired leaves that have become empty; cheap when there are none (on SIGCHLD).
  void sweep();

  // CPU time of every process of the spawn, in clock ticks; nothing without cgroups.
  std::optional<std::uint64_t> cpu_ticks(const SpawnTag& tag) const;
  // Memory of every process of the spawn (memory.current); nothing without a cgroup with the
  // memory controller, where the leader's RSS stands in. memory_source() says which.
  std::optional<std::uint64_t> memory_bytes(const SpawnTag& tag) const;
  const char* memory_source() const {
    return cgroups_ && cgroups_->has_memory() ? "cgroup" : "rss";
  }

 private:
  struct Wait;
  void finish(Wait* wait);

  // By environment: the daemon's (and keeper's) children and the CXPM_SPAWN_ID each carries,
  // brought up to date (children gone dropped, new ones read) and read anew once the loop turns or
  // a spawn is prepared, so that a pid used again is never taken for the process it replaced.
  struct ChildTag {
    std::string token;     // empty when unreadable or unset
    bool exiting = false;  // unreadable because it is exiting: to wait for, never to kill
  };
  void read_child_tags() const;
  // The processes below (and including) each of the daemon's children that carry `token`:
  // the spawn's leader, whatever it started, and what was re-parented to us when it
  // daemonized. Exiting children whose tag cannot be read go in `exiting` (they may be
  // another app's).
  std::vector<pid_t> tagged_processes(const std::string& token,
                                      std::vector<pid_t>* exiting = nullptr) const;

  uv_loop_t* loop_;
  std::optional<CgroupTree> cgroups_;
  std::vector<std::unique_ptr<Wait>> waits_;
  std::uint64_t spawns_ = 0;
  pid_t keeper_ = 0;  // 0: no keeper, or not told of it yet
  std::vector<std::string> retired_leaves_;
  mutable std::unordered_map<pid_t, ChildTag> child_tags_;
  mutable std::uint64_t tags_turn_ = 0;
  mutable std::uint64_t tags_spawns_ = 0;
};

}  // namespace cxpm
