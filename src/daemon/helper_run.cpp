#include "cxpm/daemon/helper_run.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <memory>

#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

bool HelperExit::succeeded() const {
  return spawn_error.empty() && !timed_out && WIFEXITED(wait_status) &&
         WEXITSTATUS(wait_status) == 0;
}

std::string describe_helper_status(int wait_status) {
  if (WIFSIGNALED(wait_status)) return "killed by " + signal_name(WTERMSIG(wait_status));
  return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
}

void run_helper(Supervisor& supervisor, const SpawnOptions& options, Milliseconds timeout,
                std::function<void(const HelperExit&)> done) {
  const SpawnResult spawned = spawn_process(options);
  if (!spawned.ok()) return done({.spawn_error = spawned.error});
  // The timer and the exit share one state: whichever comes first decides.
  struct Run {
    explicit Run(uv_loop_t* loop) : timer(loop) { timer.unref(); }
    ~Run() {
      if (!exited) ::kill(-pid, SIGKILL);
    }
    Timer timer;
    std::function<void(const HelperExit&)> done;
    pid_t pid = 0;
    bool timed_out = false;
    bool exited = false;
  };
  auto run = std::make_shared<Run>(supervisor.loop());
  run->done = std::move(done);
  run->pid = spawned.pid;
  run->timer.start(timeout, [state = run.get()] {
    state->timed_out = true;
    ::kill(-state->pid, SIGKILL);  // its own session: the command and what it started
  });
  supervisor.watch_helper(spawned.pid, [run](int wait_status) {
    run->exited = true;
    run->timer.stop();
    run->done({.wait_status = wait_status, .timed_out = run->timed_out});
  });
}

}  // namespace cxpm
