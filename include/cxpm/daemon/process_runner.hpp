#pragma once
// The supervisor's hands on the OS, as ninja's CommandRunner is its build's: starting an app's
// process, signalling it and what it left behind, and learning of its exit. The supervisor
// decides; a runner only does what it is asked. The daemon's runner (SystemProcessRunner)
// forks, signals, reaps and tracks spawns for real; a test's fake records what it was asked
// and reports the exits the test chooses (tests/unit/daemon/).

#include <sys/types.h>
#include <uv.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/app_processes.hpp"
#include "cxpm/sys/proc.hpp"
#include "cxpm/sys/spawn.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

struct Launched {
  pid_t pid = -1;
  SpawnTag tag;       // how the process and all it starts are found again
  UniqueFd out_pipe;  // the read ends of its stdout and stderr; none from a fake
  UniqueFd error_pipe;
  std::string error;     // why it did not start: "exec python3: No such file or directory"
  int error_number = 0;  // errno of the failure: EMFILE, EAGAIN, … say "try again later"

  bool ok() const { return pid > 0; }
};

class ProcessRunner {
 public:
  using ExitHandler = std::function<void(pid_t pid, int wait_status)>;

  virtual ~ProcessRunner() = default;

  // How a spawn's processes are found, as `describe` shows it ("cgroup" or "environ").
  virtual const char* tracking() const = 0;
  // Starts process `index` of `app_name` with `options` (stdout and stderr are the runner's
  // to give). On failure nothing it made for the spawn is left behind.
  virtual Launched launch(const std::string& app_name, int index, SpawnOptions options) = 0;
  // The processes now, to find the children that left their leader's process group.
  virtual ProcessTree snapshot() = 0;
  // kill(2): a negative target is a process group. True when the signal was sent.
  virtual bool signal(pid_t target, int signal_number) = 0;
  // `signal_number` to the spawn's processes outside `group` and not in `signalled`.
  virtual void signal_outside_group(const SpawnTag& tag, pid_t group, int signal_number,
                                    const std::vector<pid_t>& signalled) = 0;
  // SIGKILL to all of the spawn's processes; returns the pids to wait for.
  virtual std::vector<pid_t> kill_all(const SpawnTag& tag) = 0;
  // The daemon runs under a keeper (pid `keeper`), where an earlier daemon's processes went.
  virtual void look_under_keeper(pid_t keeper) = 0;
  // SIGKILL to every process an earlier daemon started whose spawn is none of `known` (it
  // came after the last table that daemon saved); returns the pids killed.
  virtual std::vector<pid_t> kill_untracked(const std::vector<SpawnTag>& known) = 0;
  // Runs `done` once every one of `pids` has exited, or after `timeout`.
  virtual void when_gone(const std::vector<pid_t>& pids, Milliseconds timeout,
                         std::function<void()> done) = 0;
  // The spawn is over: what tracked it is given back.
  virtual void retire(SpawnTag tag) = 0;
  // Collects every child that exited (on SIGCHLD), telling `exited` of each.
  virtual void reap(const ExitHandler& exited) = 0;
  virtual std::optional<ProcessStat> stat(pid_t pid) = 0;
  // CPU time of the whole spawn in clock ticks, when the tracking can tell.
  virtual std::optional<std::uint64_t> cpu_ticks(const SpawnTag& tag) = 0;
  // Memory of the whole spawn in bytes, when the tracking can tell (a cgroup with the memory
  // controller); memory_source() says where `describe`'s figure comes from ("cgroup", "rss").
  virtual std::optional<std::uint64_t> memory_bytes(const SpawnTag& tag) const = 0;
  virtual const char* memory_source() const = 0;
};

// The daemon's runner: sys/spawn's fork and exec, kill(2), waitpid, and AppProcesses' cgroup
// or environment tracking.
class SystemProcessRunner : public ProcessRunner {
 public:
  explicit SystemProcessRunner(uv_loop_t* loop) : processes_(loop) {}

  const char* tracking() const override { return processes_.mechanism(); }
  Launched launch(const std::string& app_name, int index, SpawnOptions options) override;
  ProcessTree snapshot() override { return ProcessTree::snapshot(); }
  bool signal(pid_t target, int signal_number) override;
  void signal_outside_group(const SpawnTag& tag, pid_t group, int signal_number,
                            const std::vector<pid_t>& signalled) override {
    processes_.signal_outside_group(tag, group, signal_number, signalled);
  }
  std::vector<pid_t> kill_all(const SpawnTag& tag) override { return processes_.kill_all(tag); }
  void look_under_keeper(pid_t keeper) override { processes_.look_under_keeper(keeper); }
  std::vector<pid_t> kill_untracked(const std::vector<SpawnTag>& known) override {
    return processes_.kill_untracked(known);
  }
  void when_gone(const std::vector<pid_t>& pids, Milliseconds timeout,
                 std::function<void()> done) override {
    processes_.when_gone(pids, timeout, std::move(done));
  }
  void retire(SpawnTag tag) override { processes_.retire(std::move(tag)); }
  void reap(const ExitHandler& exited) override;
  std::optional<ProcessStat> stat(pid_t pid) override { return read_process_stat(pid); }
  std::optional<std::uint64_t> cpu_ticks(const SpawnTag& tag) override {
    return processes_.cpu_ticks(tag);
  }
  std::optional<std::uint64_t> memory_bytes(const SpawnTag& tag) const override {
    return processes_.memory_bytes(tag);
  }
  const char* memory_source() const override { return processes_.memory_source(); }

 private:
  AppProcesses processes_;
};

}  // namespace cxpm
