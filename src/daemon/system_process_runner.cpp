#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "cxpm/daemon/process_runner.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {

Launched SystemProcessRunner::launch(const std::string& app_name, int index, SpawnOptions options) {
  Launched launched;
  auto tracking = processes_.prepare(app_name, index);
  if (!tracking.error.empty()) {
    launched.error = tracking.error;
    launched.error_number = tracking.error_number;
    return launched;
  }
  auto fail = [&](std::string why, int error_number) {
    processes_.retire(std::move(tracking.tag));
    launched.error = std::move(why);
    launched.error_number = error_number;
    return std::move(launched);
  };
  int out_pipe[2], error_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) < 0) {
    const int error_number = errno;
    return fail("pipe: " + error_text(error_number), error_number);
  }
  if (::pipe2(error_pipe, O_CLOEXEC) < 0) {
    const int error_number = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return fail("pipe: " + error_text(error_number), error_number);
  }
  // The tag goes in the environment, where the app's processes inherit it; it replaces any the
  // app's own environment had.
  const std::string token_prefix = std::string(AppProcesses::kTokenVariable) + "=";
  std::erase_if(options.env, [&](const std::string& assignment) {
    return assignment.starts_with(token_prefix);
  });
  options.env.push_back(token_prefix + tracking.tag.token);
  options.cgroup_join_fd = tracking.join_fd.get();
  options.stdout_fd = out_pipe[1];
  options.stderr_fd = error_pipe[1];
  const SpawnResult result = spawn_process(options);
  ::close(out_pipe[1]);
  ::close(error_pipe[1]);
  tracking.join_fd.reset();
  if (!result.ok()) {
    ::close(out_pipe[0]);
    ::close(error_pipe[0]);
    return fail(result.error, result.error_number);
  }
  launched.pid = result.pid;
  launched.tag = std::move(tracking.tag);
  launched.out_pipe.reset(out_pipe[0]);
  launched.error_pipe.reset(error_pipe[0]);
  return launched;
}

bool SystemProcessRunner::signal(pid_t target, int signal_number) {
  return ::kill(target, signal_number) == 0;
}

void SystemProcessRunner::reap(const ExitHandler& exited) {
  for (;;) {
    int wait_status = 0;
    const pid_t pid = ::waitpid(-1, &wait_status, WNOHANG);
    if (pid <= 0) return processes_.sweep();  // leaves whose last process just went
    exited(pid, wait_status);
  }
}

}  // namespace cxpm
