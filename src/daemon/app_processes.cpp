#include "cxpm/daemon/app_processes.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/proc.hpp"

namespace cxpm {
namespace {

// A process that double-forks in a loop is found again on every scan; a bound keeps a kill
// from scanning forever (a cgroup has no such race: cgroup.kill stops forks too).
constexpr int kKillRounds = 20;
// Waiting for this many exits at once is plenty; beyond, the rest are not waited for.
constexpr std::size_t kMostWaitedFor = 64;

bool cgroups_disabled() {
  const char* value = std::getenv("CXPM_NO_CGROUPS");
  return value && *value && std::strcmp(value, "0") != 0;
}

}  // namespace

struct AppProcesses::Wait {
  Wait(uv_loop_t* loop, AppProcesses& processes) : timer(loop), owner(processes) {}
  std::vector<UniqueFd> pidfds;                             // closed after their polls
  std::vector<std::unique_ptr<UvHandle<uv_poll_t>>> exits;  // a pidfd becomes readable at exit
  std::size_t remaining = 0;
  Timer timer;
  std::function<void()> done;
  AppProcesses& owner;
};

AppProcesses::AppProcesses(uv_loop_t* loop) : loop_(loop) {
  if (cgroups_disabled()) {
    spdlog::info("process tracking: by environment (CXPM_NO_CGROUPS is set)");
    return;
  }
  auto tree = CgroupTree::create();
  if (auto* problem = std::get_if<std::string>(&tree)) {
    spdlog::info("process tracking: by environment ({})", *problem);
    return;
  }
  cgroups_.emplace(std::move(std::get<CgroupTree>(tree)));
  spdlog::info("process tracking: by cgroup, under {}", cgroups_->path());
}

AppProcesses::~AppProcesses() = default;

AppProcesses::Prepared AppProcesses::prepare(const std::string& app_name, int index) {
  Prepared prepared;
  const std::string number = std::to_string(++spawns_);
  prepared.tag.token = std::to_string(::getpid()) + "." + number;
  if (!cgroups_) return prepared;
  auto leaf = cgroups_->make_leaf(app_name + "-" + std::to_string(index) + "-" + number);
  if (!leaf.error.empty()) {
    prepared.error = leaf.error;
    prepared.error_number = leaf.error_number;
    return prepared;
  }
  prepared.tag.cgroup = std::move(leaf.path);
  prepared.join_fd = std::move(leaf.join_fd);
  return prepared;
}

std::vector<pid_t> AppProcesses::members(const SpawnTag& tag) const {
  if (!tag.cgroup.empty()) return cgroup_members(tag.cgroup);
  if (tag.token.empty()) return {};
  return tagged_processes(tag.token);
}

void AppProcesses::read_child_tags() const {
  const std::uint64_t turn = uv_now(loop_);
  if (turn != tags_turn_ || spawns_ != tags_spawns_) child_tags_.clear();
  tags_turn_ = turn;
  tags_spawns_ = spawns_;
  std::vector<pid_t> children = children_of(::getpid());
  if (keeper_ > 0) {
    for (pid_t orphan : children_of(keeper_)) {
      if (orphan != ::getpid()) children.push_back(orphan);
    }
  }
  std::erase_if(child_tags_, [&children](const auto& entry) {
    return std::ranges::find(children, entry.first) == children.end();
  });
  for (pid_t child : children) {
    if (child_tags_.contains(child)) continue;
    ChildTag tag;
    tag.token = environment_value(child, kTokenVariable).value_or("");
    if (tag.token.empty()) {
      const auto stat = read_process_stat(child);
      tag.exiting = stat && stat->exiting;
    }
    child_tags_.emplace(child, std::move(tag));
  }
}

std::vector<pid_t> AppProcesses::tagged_processes(const std::string& token,
                                                  std::vector<pid_t>* exiting) const {
  read_child_tags();
  std::vector<pid_t> found;
  for (const auto& [child, tag] : child_tags_) {
    if (tag.token != token) {
      if (exiting && tag.exiting) exiting->push_back(child);
      continue;
    }
    std::vector<pid_t> pending{child};
    while (!pending.empty() && found.size() < 100000) {
      const pid_t pid = pending.back();
      pending.pop_back();
      found.push_back(pid);
      for (pid_t grandchild : children_of(pid)) pending.push_back(grandchild);
    }
  }
  return found;
}

void AppProcesses::signal_outside_group(const SpawnTag& tag, pid_t group, int signal_number,
                                        const std::vector<pid_t>& signalled) const {
  for (pid_t pid : members(tag)) {
    if (std::ranges::find(signalled, pid) != signalled.end()) continue;
    const auto stat = read_process_stat(pid);
    if (stat && stat->group != group) ::kill(pid, signal_number);
  }
}

std::vector<pid_t> AppProcesses::kill_all(const SpawnTag& tag) const {
  if (!tag.cgroup.empty()) return kill_cgroup(tag.cgroup);
  if (tag.token.empty()) return {};
  std::vector<pid_t> killed;
  std::vector<pid_t> exiting;
  for (int round = 0; round < kKillRounds; ++round) {
    bool new_ones = false;
    for (pid_t pid : tagged_processes(tag.token, round == 0 ? &exiting : nullptr)) {
      if (std::ranges::find(killed, pid) != killed.end()) continue;
      ::kill(pid, SIGKILL);
      killed.push_back(pid);
      new_ones = true;
    }
    if (!new_ones) break;
  }
  killed.insert(killed.end(), exiting.begin(), exiting.end());
  return killed;
}

std::vector<pid_t> AppProcesses::kill_untracked(const std::vector<SpawnTag>& known) const {
  if (keeper_ <= 0) return {};
  read_child_tags();  // the keeper's children's tokens, read once with the daemon's
  std::vector<std::string> strays;
  for (pid_t orphan : children_of(keeper_)) {
    const auto tag = child_tags_.find(orphan);
    if (orphan == ::getpid() || tag == child_tags_.end()) continue;
    // No token: not a spawn's, or exiting (its environ is gone). Neither is ours to judge.
    const std::string& token = tag->second.token;
    if (token.empty() || std::ranges::find(strays, token) != strays.end()) continue;
    const bool recorded =
        std::ranges::any_of(known, [&token](const SpawnTag& tag) { return tag.token == token; });
    if (!recorded) strays.push_back(token);
  }
  std::vector<pid_t> killed;
  for (const std::string& token : strays) {
    const std::vector<pid_t> spawn = kill_all(SpawnTag{token, {}});
    killed.insert(killed.end(), spawn.begin(), spawn.end());
  }
  return killed;
}

void AppProcesses::when_gone(const std::vector<pid_t>& pids, Milliseconds timeout,
                             std::function<void()> done) {
  auto wait = std::make_unique<Wait>(loop_, *this);
  Wait* state = wait.get();
  for (pid_t pid : pids) {
    if (state->pidfds.size() == kMostWaitedFor) break;
    UniqueFd pidfd{static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))};
    if (!pidfd) continue;  // already gone (ESRCH): nothing to wait for
    auto poll = std::make_unique<UvHandle<uv_poll_t>>();
    if (uv_poll_init(loop_, poll->get(), pidfd.get()) != 0) continue;
    poll->mark_initialized();
    poll->get()->data = state;
    uv_poll_start(poll->get(), UV_READABLE, [](uv_poll_t* handle, int, int) {
      uv_poll_stop(handle);
      auto* waiting = static_cast<Wait*>(handle->data);
      if (--waiting->remaining == 0) waiting->owner.finish(waiting);
    });
    state->pidfds.push_back(std::move(pidfd));
    state->exits.push_back(std::move(poll));
    ++state->remaining;
  }
  if (state->remaining == 0) return done();
  state->done = std::move(done);
  state->timer.start(timeout, [this, state] { finish(state); });
  waits_.push_back(std::move(wait));
}

void AppProcesses::finish(Wait* wait) {
  auto done = std::move(wait->done);
  std::erase_if(waits_, [wait](const auto& each) { return each.get() == wait; });
  if (done) done();
}

void AppProcesses::retire(SpawnTag tag) {
  if (tag.cgroup.empty()) return;
  if (!remove_cgroup(tag.cgroup)) retired_leaves_.push_back(std::move(tag.cgroup));
}

void AppProcesses::sweep() {
  std::erase_if(retired_leaves_, [](const std::string& leaf) { return remove_cgroup(leaf); });
}

std::optional<std::uint64_t> AppProcesses::memory_bytes(const SpawnTag& tag) const {
  if (tag.cgroup.empty() || !cgroups_ || !cgroups_->has_memory()) return std::nullopt;
  return cgroup_memory_bytes(tag.cgroup);
}

std::optional<std::uint64_t> AppProcesses::cpu_ticks(const SpawnTag& tag) const {
  if (tag.cgroup.empty()) return std::nullopt;
  const auto usec = cgroup_cpu_usec(tag.cgroup);
  if (!usec) return std::nullopt;
  return *usec * static_cast<std::uint64_t>(clock_ticks_per_second()) / 1000000;
}

}  // namespace cxpm
