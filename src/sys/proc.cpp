#include "cxpm/sys/proc.hpp"

#include <dirent.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace cxpm {

std::optional<ProcessStat> read_process_stat(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  // The command name is in parentheses and may hold spaces and ')': parse after the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string state;
  long parent = 0, group = 0;
  fields >> state >> parent >> group;
  std::string skip;
  for (int field = 6; field <= 13; ++field) fields >> skip;  // session .. cmajflt
  std::uint64_t user = 0, system = 0;
  fields >> user >> system;
  for (int field = 16; field <= 23; ++field) fields >> skip;  // cutime .. vsize
  long rss_pages = 0;
  fields >> rss_pages;
  if (!fields) return std::nullopt;
  static const long page_size = ::sysconf(_SC_PAGESIZE);
  return ProcessStat{pid, static_cast<pid_t>(parent), static_cast<pid_t>(group), user + system,
                     static_cast<std::uint64_t>(rss_pages) * static_cast<std::uint64_t>(page_size)};
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

std::vector<ProcessStat> descendants_of(pid_t root) {
  std::multimap<pid_t, ProcessStat> children;
  for (const auto& process : all_processes()) children.emplace(process.parent, process);
  std::vector<ProcessStat> out;
  std::vector<pid_t> pending{root};
  while (!pending.empty()) {
    const pid_t parent = pending.back();
    pending.pop_back();
    auto [first, last] = children.equal_range(parent);
    for (auto it = first; it != last; ++it) {
      out.push_back(it->second);
      pending.push_back(it->second.pid);
    }
  }
  return out;
}

std::vector<pid_t> members_of_group(pid_t group) {
  std::vector<pid_t> out;
  for (const auto& process : all_processes()) {
    if (process.group == group) out.push_back(process.pid);
  }
  return out;
}

long clock_ticks_per_second() {
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks;
}

int usable_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

}  // namespace cxpm
