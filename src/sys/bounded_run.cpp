#include "cxpm/sys/bounded_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "cxpm/core/clock.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {
namespace {

std::array<UniqueFd, 2> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_system_error("pipe");
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::vector<char*> as_pointers(const std::vector<std::string>& items) {
  std::vector<char*> out;
  for (const auto& item : items) out.push_back(const_cast<char*>(item.c_str()));
  out.push_back(nullptr);
  return out;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const BoundedRunOptions& options, char* const* argv, char* const* envp,
                             int messages_fd, int result_fd) {
  ::setpgid(0, 0);  // one group, so a timeout kills whatever the program started too
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(messages_fd, 1) < 0 ||
      ::dup2(messages_fd, 2) < 0 || ::dup2(result_fd, 3) < 0) {
    ::_exit(127);
  }
  ::close_range(4, ~0U, 0);  // nothing of ours (the daemon's socket above all) goes along
  ::execve(options.program.c_str(), argv, envp);
  ::_exit(127);
}

}  // namespace

BoundedRunResult run_bounded(const BoundedRunOptions& options) {
  auto messages = make_pipe();
  auto result_pipe = make_pipe();
  const auto argv = as_pointers(options.argv);
  const auto envp = as_pointers(options.env);
  const pid_t pid = ::fork();
  if (pid < 0) throw_system_error("fork");
  if (pid == 0) {
    exec_child(options, argv.data(), envp.data(), messages[1].get(), result_pipe[1].get());
  }
  ::setpgid(pid, pid);  // as the child does: whichever runs first
  messages[1].reset();
  result_pipe[1].reset();

  BoundedRunResult out;
  const auto deadline = steady_now() + options.time_limit;
  std::array<pollfd, 2> polled{{{messages[0].get(), POLLIN, 0}, {result_pipe[0].get(), POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&out.messages, &out.result};
  int open_streams = 2;
  while (open_streams > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_now());
    if (left.count() <= 0) {
      out.timed_out = true;
      break;
    }
    const int ready = ::poll(polled.data(), polled.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      out.timed_out = true;  // cannot watch it any longer: treated as running too long
      break;
    }
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (polled[i].fd < 0 || polled[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t got = ::read(polled[i].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        polled[i].fd = -1;
        --open_streams;
        continue;
      }
      sinks[i]->append(buffer, static_cast<std::size_t>(got));
      if (sinks[i]->size() > options.output_limit) {
        sinks[i]->resize(options.output_limit);
        out.too_much_output = true;
        open_streams = 0;
        break;
      }
    }
  }
  if (out.timed_out || out.too_much_output) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.exit_signal = WTERMSIG(status);
  return out;
}

}  // namespace cxpm
