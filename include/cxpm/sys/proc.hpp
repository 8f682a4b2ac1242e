#pragma once
// Reading processes from /proc: CPU time, memory, children. No caching, no timers.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxpm {

struct ProcessStat {
  pid_t pid = 0;
  pid_t parent = 0;
  pid_t group = 0;
  std::uint64_t cpu_ticks = 0;  // user + system, in clock ticks
  std::uint64_t rss_bytes = 0;
  bool exiting = false;  // dying or dead (a zombie): its memory, environ included, may be gone
  // When it started, in clock ticks since boot: with the pid, names one process for good (a
  // pid used again has another start time).
  std::uint64_t start_ticks = 0;
};

std::optional<ProcessStat> read_process_stat(pid_t pid);
// The kernel's id of this boot (/proc/sys/kernel/random/boot_id); "" when it cannot be read.
std::string read_boot_id();

// Every live process at one moment, read once from /proc: stopping many apps asks it about
// each of them, and a scan per app would cost apps × processes reads.
class ProcessTree {
 public:
  static ProcessTree snapshot();

  // Every process whose parent chain leads to `root` (not including root).
  std::vector<ProcessStat> descendants_of(pid_t root) const;

 private:
  std::multimap<pid_t, ProcessStat> children_;  // by parent
};

// The direct children of `pid` (its threads' /proc/<pid>/task/<tid>/children), without a
// scan of every process.
std::vector<pid_t> children_of(pid_t pid);

// The value of `name` in the environment `pid` was started with (/proc/<pid>/environ), or
// nothing when it is not set or cannot be read (another user's process, a zombie).
std::optional<std::string> environment_value(pid_t pid, const std::string& name);

long clock_ticks_per_second();

// Waits until `pid` (not necessarily our child) has exited, at most `timeout`; true once it
// is gone. A pidfd becomes readable at exit, so this sleeps in poll() instead of polling.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout);

// CPUs this process may run on (sched_getaffinity), which is what `-i max` means.
int usable_cpu_count();

}  // namespace cxpm
