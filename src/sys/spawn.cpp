#include "cxpm/sys/spawn.hpp"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {
namespace {

// What failed in the child, sent to the parent over a close-on-exec pipe.
enum class Stage : int { kCgroup, kSession, kUser, kChdir, kFds, kExec };

struct ChildFailure {
  Stage stage;
  int error_number;
};

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::kCgroup:
      return "join its cgroup";
    case Stage::kSession:
      return "start a session";
    case Stage::kUser:
      return "switch user";
    case Stage::kChdir:
      return "change directory";
    case Stage::kFds:
      return "set up file descriptors";
    case Stage::kExec:
      return "exec";
  }
  return "start";
}

// Only async-signal-safe calls from here to exec: the daemon's other state is undefined.
[[noreturn]] void report_and_exit(int report_fd, Stage stage) {
  ChildFailure failure{stage, errno};
  [[maybe_unused]] auto written = ::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

void write_decimal(char* out, long value) {
  char digits[24];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  while (count > 0) *out++ = digits[--count];
  *out = '\0';
}

void close_from(int first, int keep) {
  if (::close_range(first, keep - 1, 0) == 0 && ::close_range(keep + 1, ~0U, 0) == 0) return;
  const long max_fd = ::sysconf(_SC_OPEN_MAX);
  for (int fd = first; fd < max_fd; ++fd) {
    if (fd != keep) ::close(fd);
  }
}

[[noreturn]] void run_child(const SpawnOptions& options, const char* program, char** argv,
                            char** envp, char* listen_pid_value, int report_fd,
                            const std::vector<int>& sources) {
  // First, before it can fork: everything it starts is then in the cgroup too.
  if (options.cgroup_join_fd >= 0 && ::write(options.cgroup_join_fd, "0", 1) != 1) {
    report_and_exit(report_fd, Stage::kCgroup);
  }
  if (::setsid() < 0) report_and_exit(report_fd, Stage::kSession);

  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    ::sigaction(signal_number, &default_action, nullptr);
  }
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);

  if (options.gid) {
    if (::setgroups(options.groups.size(), options.groups.data()) < 0 ||
        ::setgid(*options.gid) < 0) {
      report_and_exit(report_fd, Stage::kUser);
    }
  }
  if (options.uid && ::setuid(*options.uid) < 0) report_and_exit(report_fd, Stage::kUser);
  if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) < 0) {
    report_and_exit(report_fd, Stage::kChdir);
  }

  // Move every source above the target range first, so no dup2 clobbers a later source.
  const int target_count = static_cast<int>(sources.size());
  int moved[64];
  for (int i = 0; i < target_count; ++i) {
    moved[i] = ::fcntl(sources[i], F_DUPFD, target_count + 1);
    if (moved[i] < 0) report_and_exit(report_fd, Stage::kFds);
  }
  int report = ::fcntl(report_fd, F_DUPFD_CLOEXEC, target_count + 1);
  if (report < 0) report_and_exit(report_fd, Stage::kFds);
  for (int i = 0; i < target_count; ++i) {
    if (::dup2(moved[i], i) < 0) report_and_exit(report, Stage::kFds);
  }
  close_from(target_count, report);

  if (listen_pid_value) write_decimal(listen_pid_value, ::getpid());
  ::execve(program, argv, envp);
  report_and_exit(report, Stage::kExec);
}

}  // namespace

std::optional<std::string> find_program(const std::string& name, const std::string& path_env) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) return name;
  std::stringstream directories(path_env.empty() ? "/usr/local/bin:/usr/bin:/bin" : path_env);
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    if (directory.empty()) directory.assign(1, '.');  // not = ".": GCC 12 -Wrestrict bug 105329
    std::string candidate = directory + "/" + name;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

SpawnResult spawn_process(const SpawnOptions& options) {
  if (options.argv.empty()) return {-1, "nothing to run: the command is empty"};
  if (options.passed_fds.size() > 60) return {-1, "too many file descriptors to pass"};

  std::string path_env = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& entry : options.env) {
    if (entry.starts_with("PATH=")) path_env = entry.substr(5);
  }
  const auto program = find_program(options.argv[0], path_env);
  if (!program) return {-1, "'" + options.argv[0] + "' was not found on PATH (" + path_env + ")"};

  std::vector<char*> argv;
  for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  std::vector<std::string> env_storage = options.env;
  char* listen_pid_value = nullptr;
  if (options.set_listen_pid) env_storage.push_back("LISTEN_PID=" + std::string(24, '\0'));
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);
  if (options.set_listen_pid) listen_pid_value = env_storage.back().data() + 11;

  UniqueFd null_fd{::open("/dev/null", O_RDWR | O_CLOEXEC)};
  if (!null_fd) return {-1, "open /dev/null: " + error_text(errno), errno};
  std::vector<int> sources{options.stdin_fd >= 0 ? options.stdin_fd : null_fd.get(),
                           options.stdout_fd >= 0 ? options.stdout_fd : null_fd.get(),
                           options.stderr_fd >= 0 ? options.stderr_fd : null_fd.get()};
  sources.insert(sources.end(), options.passed_fds.begin(), options.passed_fds.end());

  int report_pipe[2];
  if (::pipe2(report_pipe, O_CLOEXEC) < 0) return {-1, "pipe: " + error_text(errno), errno};
  UniqueFd report_read{report_pipe[0]};
  UniqueFd report_write{report_pipe[1]};

  const pid_t pid = ::fork();
  if (pid < 0) return {-1, "fork: " + error_text(errno), errno};
  if (pid == 0) {
    run_child(options, program->c_str(), argv.data(), envp.data(), listen_pid_value,
              report_write.get(), sources);
  }
  report_write.reset();

  ChildFailure failure{};
  ssize_t got;
  do {
    got = ::read(report_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got <= 0) return {pid, {}};  // EOF: exec succeeded and closed the pipe

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string what = stage_name(failure.stage);
  if (failure.stage == Stage::kExec) what += " " + *program;
  if (failure.stage == Stage::kChdir) what += " to " + options.cwd;
  return {-1, what + ": " + error_text(failure.error_number), failure.error_number};
}

}  // namespace cxpm
