#pragma once
// cgroup v2, as far as the daemon uses it: a subtree of its own cgroup with one leaf per
// started process, so every process an app ever forks — daemonized ones included — can be
// found, counted and killed. No libuv here; the daemon decides when to call these.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// Where this process's cgroup v2 directory is, from /proc/self/mountinfo and /proc/self/cgroup;
// or why there is none (no cgroup2 mount, a v1-only machine).
std::variant<std::string, std::string> own_cgroup_directory();

class CgroupTree {
 public:
  // Creates `<own cgroup>/cxpm-<pid>`, first removing empty subtrees that daemons no longer
  // alive left behind. Fails (with a sentence) when cgroup v2 is absent or not writable.
  static std::variant<CgroupTree, std::string> create();

  CgroupTree(CgroupTree&& other) noexcept
      : path_(std::exchange(other.path_, {})), has_memory_(other.has_memory_) {}
  CgroupTree& operator=(CgroupTree&&) = delete;
  // Removes the subtree's empty leaves and the subtree itself.
  ~CgroupTree();

  const std::string& path() const { return path_; }
  // Whether the leaves have the memory controller (memory.current): enabled in the subtree
  // when the daemon's own cgroup offers it to its children; not on a machine whose memory
  // controller is on cgroup v1.
  bool has_memory() const { return has_memory_; }

  // Makes the leaf `name` and opens its cgroup.procs for a child to join (write "0" to it).
  // Errors are sentences; `error_number` is errno, so a caller can tell transient ones.
  struct Leaf {
    std::string path;
    UniqueFd join_fd;
    std::string error;
    int error_number = 0;
  };
  Leaf make_leaf(const std::string& name) const;

 private:
  explicit CgroupTree(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool has_memory_ = false;
};

// The live processes in a leaf.
std::vector<pid_t> cgroup_members(const std::string& leaf);
// SIGKILL to every process in the leaf, including ones forking right now (cgroup.kill,
// Linux 5.14); older kernels get a kill of each member, repeated until none is left. Returns
// the pids that were in it, so a caller can wait for them.
std::vector<pid_t> kill_cgroup(const std::string& leaf);
// Removes an empty leaf; false while processes remain (or it is already gone: then true).
bool remove_cgroup(const std::string& leaf);
// usage_usec of cpu.stat: CPU time of every process the leaf ever held (it is always there).
std::optional<std::uint64_t> cgroup_cpu_usec(const std::string& leaf);
// memory.current: memory charged to every process in the leaf; nothing without the memory
// controller.
std::optional<std::uint64_t> cgroup_memory_bytes(const std::string& leaf);

}  // namespace cxpm
