#pragma once
// Starting an app: fork and exec by hand rather than through libuv, because the child must
// learn its own pid before exec (LISTEN_PID) and must start in a session of its own.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cxpm {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no slash
  std::vector<std::string> env;   // "KEY=VALUE"
  std::string cwd;
  int stdin_fd = -1;  // -1: /dev/null
  int stdout_fd = -1;
  int stderr_fd = -1;
  // Given to the child as fd 3, 4, ... in this order (sockets, IPC channels).
  std::vector<int> passed_fds;
  // Adds LISTEN_PID=<the child's own pid> to the environment, as sd_listen_fds() expects.
  bool set_listen_pid = false;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  std::vector<gid_t> groups;  // with gid: the supplementary groups (setgroups); empty: none
  // An open cgroup.procs the child writes itself into first, or -1.
  int cgroup_join_fd = -1;
};

struct SpawnResult {
  pid_t pid = -1;
  std::string error;     // empty on success: "exec python3: No such file or directory"
  int error_number = 0;  // errno of the failure: EMFILE, EAGAIN, … say "try again later"

  bool ok() const { return pid > 0; }
};

// Forks; the child joins options.cgroup_join_fd's cgroup, starts a new session (so its pid
// is its process group), resets signal dispositions and mask, and execs. Returns after exec
// succeeded or failed in the child.
SpawnResult spawn_process(const SpawnOptions& options);

// The program argv[0] would run: itself when it contains a slash, else its PATH lookup.
std::optional<std::string> find_program(const std::string& name, const std::string& path_env);

}  // namespace cxpm
