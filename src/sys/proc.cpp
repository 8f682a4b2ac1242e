#include "cxpm/sys/proc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace cxpm {

std::string read_boot_id() {
  std::FILE* file = std::fopen("/proc/sys/kernel/random/boot_id", "re");
  if (!file) return {};
  char text[64] = {};
  const bool read = std::fgets(text, sizeof text, file) != nullptr;
  std::fclose(file);
  std::string id = read ? text : "";
  while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
  return id;
}

std::optional<ProcessStat> read_process_stat(pid_t pid) {
  // Plain read(2): `ls` reads one of these per process, and iostreams cost more than the read.
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buffer[1024];
  const ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (got <= 0) return std::nullopt;
  buffer[got] = '\0';
  // The command name is in parentheses and may hold spaces and ')': parse after the last ')'.
  const char* close = std::strrchr(buffer, ')');
  if (!close || close[1] == '\0') return std::nullopt;
  char state = 0;
  long parent = 0, group = 0;
  unsigned flags = 0;
  unsigned long long user = 0, system = 0;
  unsigned long long start_ticks = 0;
  long rss_pages = 0;
  // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice threads itrealvalue starttime vsize rss
  const int fields =
      std::sscanf(close + 2,
                  "%c %ld %ld %*d %*d %*d %u %*u %*u %*u %*u %llu %llu %*d %*d "
                  "%*d %*d %*d %*d %llu %*u %ld",
                  &state, &parent, &group, &flags, &user, &system, &start_ticks, &rss_pages);
  if (fields != 8) return std::nullopt;
  static const long page_size = ::sysconf(_SC_PAGESIZE);
  constexpr unsigned kExitingFlag = 0x4;  // PF_EXITING: set as do_exit begins
  return ProcessStat{pid,
                     static_cast<pid_t>(parent),
                     static_cast<pid_t>(group),
                     user + system,
                     static_cast<std::uint64_t>(rss_pages) * static_cast<std::uint64_t>(page_size),
                     state == 'Z' || state == 'X' || (flags & kExitingFlag) != 0,
                     start_ticks};
}

namespace {

std::vector<ProcessStat> all_processes() {
  std::vector<ProcessStat> out;
  DIR* directory = ::opendir("/proc");
  if (!directory) return out;
  while (dirent* entry = ::readdir(directory)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    if (auto stat = read_process_stat(static_cast<pid_t>(pid))) out.push_back(*stat);
  }
  ::closedir(directory);
  return out;
}

}  // namespace

ProcessTree ProcessTree::snapshot() {
  ProcessTree tree;
  for (const auto& process : all_processes()) tree.children_.emplace(process.parent, process);
  return tree;
}

std::vector<ProcessStat> ProcessTree::descendants_of(pid_t root) const {
  std::vector<ProcessStat> out;
  std::vector<pid_t> pending{root};
  while (!pending.empty()) {
    const pid_t parent = pending.back();
    pending.pop_back();
    auto [first, last] = children_.equal_range(parent);
    for (auto it = first; it != last; ++it) {
      out.push_back(it->second);
      pending.push_back(it->second.pid);
    }
  }
  return out;
}

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* directory = ::opendir(tasks.c_str());
  if (!directory) return out;
  while (dirent* entry = ::readdir(directory)) {
    if (entry->d_name[0] == '.') continue;
    const std::string path = tasks + "/" + entry->d_name + "/children";
    std::FILE* file = std::fopen(path.c_str(), "re");
    if (!file) continue;
    long child;
    while (std::fscanf(file, "%ld", &child) == 1) out.push_back(static_cast<pid_t>(child));
    std::fclose(file);
  }
  ::closedir(directory);
  return out;
}

std::optional<std::string> environment_value(pid_t pid, const std::string& name) {
  char path[40];
  std::snprintf(path, sizeof path, "/proc/%d/environ", static_cast<int>(pid));
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  // Entries are NUL-terminated "KEY=VALUE"; read the whole block (bounded: 4 MiB is beyond
  // any real environment) and look for ours.
  std::string block;
  char buffer[16384];
  ssize_t got;
  while (block.size() < (4u << 20) && (got = ::read(fd, buffer, sizeof buffer)) > 0) {
    block.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  const std::string prefix = name + "=";
  for (std::size_t start = 0; start < block.size();) {
    std::size_t end = block.find('\0', start);
    if (end == std::string::npos) end = block.size();
    if (block.compare(start, prefix.size(), prefix) == 0 && end - start >= prefix.size()) {
      return block.substr(start + prefix.size(), end - start - prefix.size());
    }
    start = end + 1;
  }
  return std::nullopt;
}

long clock_ticks_per_second() {
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks;
}

bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return errno == ESRCH;
  pollfd exited{.fd = pidfd, .events = POLLIN, .revents = 0};
  int ready;
  do {
    ready = ::poll(&exited, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  ::close(pidfd);
  return ready > 0;
}

int usable_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

}  // namespace cxpm
