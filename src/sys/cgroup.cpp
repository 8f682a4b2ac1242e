#include "cxpm/sys/cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string_view>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

std::string read_small_file(const std::string& path) {
  UniqueFd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (!fd) return {};
  std::string out;
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(fd.get(), buffer, sizeof buffer)) > 0) {
    out.append(buffer, static_cast<std::size_t>(got));
  }
  return out;
}

// The start of a cgroup counter file, in one read(2): its first line is all a counter needs,
// and a scrape of the metrics reads one for every instance, where a second read (only to
// meet the end of the file) costs about as much as the first.
std::string read_first_line(const std::string& path) {
  UniqueFd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (!fd) return {};
  char buffer[128];
  const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
  const std::string_view text(buffer, got > 0 ? static_cast<std::size_t>(got) : 0);
  return std::string(text.substr(0, text.find('\n')));
}

// The number `line` holds after `prefix`, parsed without a stream.
std::optional<std::uint64_t> number_after(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix)) return std::nullopt;
  std::uint64_t number = 0;
  const char* digits = line.data() + prefix.size();
  const auto [end, error] = std::from_chars(digits, line.data() + line.size(), number);
  if (error != std::errc{} || end == digits) return std::nullopt;
  return number;
}

bool write_file(const std::string& path, const std::string& text) {
  UniqueFd fd{::open(path.c_str(), O_WRONLY | O_CLOEXEC)};
  if (!fd) return false;
  return ::write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

std::vector<std::string> subdirectories(const std::string& path) {
  std::vector<std::string> out;
  DIR* directory = ::opendir(path.c_str());
  if (!directory) return out;
  while (dirent* entry = ::readdir(directory)) {
    if (entry->d_type == DT_DIR && entry->d_name[0] != '.') out.emplace_back(entry->d_name);
  }
  ::closedir(directory);
  return out;
}

// A daemon that died (crashed, SIGKILL) cannot remove its subtree; the next one removes what
// is empty. A subtree whose processes still run is left alone: they are not ours to kill.
void remove_stale_subtrees(const std::string& parent) {
  for (const auto& name : subdirectories(parent)) {
    if (!name.starts_with("cxpm-")) continue;
    char* end = nullptr;
    const long pid = std::strtol(name.c_str() + 5, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;  // still alive
    const std::string subtree = parent + "/" + name;
    for (const auto& leaf : subdirectories(subtree)) ::rmdir((subtree + "/" + leaf).c_str());
    ::rmdir(subtree.c_str());
  }
}

}  // namespace

std::variant<std::string, std::string> own_cgroup_directory() {
  using Result = std::variant<std::string, std::string>;
  // "0::/user.slice/…" is the v2 line; v1 hierarchies have other numbers.
  std::string relative;
  {
    std::istringstream lines(read_small_file("/proc/self/cgroup"));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.starts_with("0::")) relative = line.substr(3);
    }
  }
  if (relative.empty()) return Result(std::in_place_index<1>, "this process is in no cgroup v2");
  // mountinfo: id parent major:minor root mount-point options ... - fstype source options
  std::istringstream lines(read_small_file("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(lines, line)) {
    const auto separator = line.find(" - ");
    if (separator == std::string::npos || line.compare(separator + 3, 8, "cgroup2 ") != 0) {
      continue;
    }
    std::istringstream fields(line.substr(0, separator));
    std::string id, parent, device, root, mount_point;
    fields >> id >> parent >> device >> root >> mount_point;
    // In a cgroup namespace /proc/self/cgroup is relative to the namespace's root, which is
    // what the mount shows; outside one, the mount's root is a prefix of our path.
    std::string inside = relative;
    if (root != "/" && inside.starts_with(root)) inside = inside.substr(root.size());
    if (inside == "/") inside.clear();
    return Result(std::in_place_index<0>, mount_point + inside);
  }
  return Result(std::in_place_index<1>, "no cgroup v2 file system is mounted");
}

std::variant<CgroupTree, std::string> CgroupTree::create() {
  using Result = std::variant<CgroupTree, std::string>;
  auto own = own_cgroup_directory();
  if (own.index() == 1) return Result(std::in_place_index<1>, std::get<1>(own));
  const std::string parent = std::get<0>(own);
  remove_stale_subtrees(parent);
  CgroupTree tree(parent + "/cxpm-" + std::to_string(::getpid()));
  if (::mkdir(tree.path_.c_str(), 0755) != 0 && errno != EEXIST) {
    const int error_number = errno;
    tree.path_.clear();  // not ours to remove
    return Result(std::in_place_index<1>,
                  "cannot create a cgroup under " + parent + ": " + error_text(error_number));
  }
  // Memory figures for all of an app's processes, where this cgroup may hand the controller on.
  std::istringstream offered(read_small_file(tree.path_ + "/cgroup.controllers"));
  for (std::string controller; offered >> controller;) {
    if (controller != "memory") continue;
    const UniqueFd control{
        ::open((tree.path_ + "/cgroup.subtree_control").c_str(), O_WRONLY | O_CLOEXEC)};
    tree.has_memory_ = control && ::write(control.get(), "+memory", 7) == 7;
  }
  // Creating a directory is not enough: moving a process needs write access to the cgroup.procs
  // of a common ancestor too (a delegated subtree). A child that joins a probe leaf and exits
  // tells, before any app depends on it.
  Leaf probe = tree.make_leaf("probe");
  if (!probe.join_fd) {
    return Result(std::in_place_index<1>, probe.error);
  }
  const pid_t child = ::fork();
  if (child == 0) ::_exit(::write(probe.join_fd.get(), "0", 1) == 1 ? 0 : errno);
  int status = 0;
  while (child > 0 && ::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  ::rmdir(probe.path.c_str());
  if (child < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const int error_number = child < 0 ? errno : WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    return Result(std::in_place_index<1>, "cannot move a process into a cgroup under " + parent +
                                              ": " + error_text(error_number));
  }
  return Result(std::in_place_index<0>, std::move(tree));
}

CgroupTree::~CgroupTree() {
  if (path_.empty()) return;
  for (const auto& leaf : subdirectories(path_)) ::rmdir((path_ + "/" + leaf).c_str());
  ::rmdir(path_.c_str());
}

CgroupTree::Leaf CgroupTree::make_leaf(const std::string& name) const {
  Leaf leaf;
  leaf.path = path_ + "/" + name;
  if (::mkdir(leaf.path.c_str(), 0755) != 0 && errno != EEXIST) {
    leaf.error_number = errno;
    leaf.error = "create cgroup " + leaf.path + ": " + error_text(errno);
    return leaf;
  }
  leaf.join_fd.reset(::open((leaf.path + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
  if (!leaf.join_fd) {
    leaf.error_number = errno;
    leaf.error = "open " + leaf.path + "/cgroup.procs: " + error_text(errno);
    ::rmdir(leaf.path.c_str());
  }
  return leaf;
}

std::vector<pid_t> cgroup_members(const std::string& leaf) {
  std::vector<pid_t> out;
  std::istringstream in(read_small_file(leaf + "/cgroup.procs"));
  long pid;
  while (in >> pid) out.push_back(static_cast<pid_t>(pid));
  return out;
}

std::vector<pid_t> kill_cgroup(const std::string& leaf) {
  std::vector<pid_t> killed = cgroup_members(leaf);
  if (killed.empty()) return killed;
  if (write_file(leaf + "/cgroup.kill", "1")) return killed;
  // No cgroup.kill (before 5.14): a process may fork between our read and its kill, so read
  // again until the leaf is empty of anything not yet signalled (bounded: forks cost time).
  std::vector<pid_t> pending = killed;
  for (int round = 0; round < 100 && !pending.empty(); ++round) {
    for (pid_t pid : pending) ::kill(pid, SIGKILL);
    pending.clear();
    for (pid_t pid : cgroup_members(leaf)) {
      if (std::find(killed.begin(), killed.end(), pid) == killed.end()) {
        killed.push_back(pid);
        pending.push_back(pid);
      }
    }
  }
  return killed;
}

bool remove_cgroup(const std::string& leaf) {
  return ::rmdir(leaf.c_str()) == 0 || errno == ENOENT;
}

std::optional<std::uint64_t> cgroup_cpu_usec(const std::string& leaf) {
  return number_after(read_first_line(leaf + "/cpu.stat"), "usage_usec ");
}

std::optional<std::uint64_t> cgroup_memory_bytes(const std::string& leaf) {
  return number_after(read_first_line(leaf + "/memory.current"), "");
}

}  // namespace cxpm
