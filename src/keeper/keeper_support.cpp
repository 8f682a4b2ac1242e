#include "cxpm/keeper/keeper_support.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/core/signal_names.hpp"
#include "cxpm/sys/error.hpp"

extern char** environ;

namespace cxpm {

void say(const std::string& text) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  tm local{};
  ::localtime_r(&now.tv_sec, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &local);
  std::fprintf(stderr, "%s.%03ld cxpm keeper[%d]: %s\n", stamp, now.tv_nsec / 1'000'000,
               static_cast<int>(::getpid()), text.c_str());
  std::fflush(stderr);
}

UniqueFd lock_keeper_file(const Home& home) {
  UniqueFd fd = home.open_file("keeper.pid", O_RDWR | O_CREAT, 0600);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    char text[32] = {};
    const ssize_t got = ::pread(fd.get(), text, sizeof text - 1, 0);
    std::string holder(text, got > 0 ? static_cast<std::size_t>(got) : 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    throw std::runtime_error("another cxpm daemon" +
                             (holder.empty() ? std::string() : " (keeper pid " + holder + ")") +
                             " is already running for CXPM_HOME=" + home.dir +
                             "; stop it with `cxpm kill`, or use another CXPM_HOME");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), pid.data(), pid.size(), 0) < 0) {
    throw_system_error("cannot write " + home.dir + "/keeper.pid");
  }
  return fd;
}

UniqueFd block_signals_into_fd(std::initializer_list<int> signals) {
  sigset_t set;
  ::sigemptyset(&set);
  for (int signal_number : signals) ::sigaddset(&set, signal_number);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  UniqueFd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd) throw_system_error("signalfd");
  return fd;
}

std::vector<std::string> daemon_environment(bool to_stderr) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    if (std::strncmp(*entry, "CXPM_KEEPER_FD=", 15) == 0) continue;
    if (std::strncmp(*entry, "CXPM_DAEMON_STDERR=", 19) == 0) continue;
    if (std::strncmp(*entry, "CXPM_READY_FD=", 14) == 0) continue;
    env.emplace_back(*entry);
  }
  env.emplace_back("CXPM_KEEPER_FD=3");
  env.emplace_back(to_stderr ? "CXPM_DAEMON_STDERR=1" : "CXPM_DAEMON_STDERR=0");
  return env;
}

std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status)) return "was killed by " + signal_name(WTERMSIG(status));
  return "exited with code " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : status);
}

std::size_t descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
  return static_cast<std::size_t>(limit.rlim_cur);
}

Milliseconds update_timeout_from_environment(Milliseconds fallback) {
  const char* text = std::getenv("CXPM_UPDATE_TIMEOUT_MS");
  if (!text) return fallback;
  const auto value = parse_whole<std::int64_t>(text);
  return value && *value > 0 ? Milliseconds{*value} : fallback;
}

}  // namespace cxpm
