#include "cxpm/sys/user.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

#include "cxpm/core/parse_number.hpp"

namespace cxpm {
namespace {

std::optional<unsigned long> parse_number(const std::string& text) {
  return parse_whole<unsigned long>(text);
}

// getpwnam_r/getgrnam_r with a buffer that grows, as their manual pages advise. The entry's
// strings point into the buffer, so `use` reads them before it goes.
template <typename Entry, typename Lookup, typename Use>
auto look_up(Lookup lookup, Use use) -> std::optional<decltype(use(std::declval<Entry&>()))> {
  std::vector<char> buffer(1024);
  for (;;) {
    Entry entry{};
    Entry* found = nullptr;
    const int error = lookup(&entry, buffer.data(), buffer.size(), &found);
    if (error == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (error != 0 || !found) return std::nullopt;
    return use(entry);
  }
}

// A passwd entry, copied out of the lookup's buffer.
struct UserEntry {
  uid_t uid;
  gid_t gid;
  std::string name;
  std::string home;
  std::string shell;
};

UserEntry copy_entry(const passwd& entry) {
  return {entry.pw_uid, entry.pw_gid, entry.pw_name ? entry.pw_name : "",
          entry.pw_dir ? entry.pw_dir : "",
          entry.pw_shell && *entry.pw_shell ? entry.pw_shell : "/bin/sh"};
}

std::optional<UserEntry> user_by_id(uid_t uid) {
  return look_up<passwd>(
      [&](passwd* out, char* buffer, std::size_t size, passwd** found) {
        return ::getpwuid_r(uid, out, buffer, size, found);
      },
      copy_entry);
}

std::optional<UserEntry> user_by_name(const std::string& name) {
  return look_up<passwd>(
      [&](passwd* out, char* buffer, std::size_t size, passwd** found) {
        return ::getpwnam_r(name.c_str(), out, buffer, size, found);
      },
      copy_entry);
}

std::map<std::string, std::string> identity_of(const UserEntry& entry) {
  return {{"HOME", entry.home.empty() ? "/" : entry.home},
          {"USER", entry.name},
          {"LOGNAME", entry.name},
          {"SHELL", entry.shell}};
}

// getgrouplist(3) with a list that grows: a user may be in more groups than a first guess.
std::vector<gid_t> groups_of(const std::string& user, gid_t primary) {
  std::vector<gid_t> groups(64);
  for (int attempt = 0; attempt < 8; ++attempt) {
    int count = static_cast<int>(groups.size());
    if (::getgrouplist(user.c_str(), primary, groups.data(), &count) >= 0) {
      groups.resize(static_cast<std::size_t>(count));
      return groups;
    }
    groups.resize(std::max(static_cast<std::size_t>(count), groups.size() * 2));
  }
  return {primary};
}

}  // namespace

std::variant<RunAs, std::string> resolve_run_as(const std::string& user, const std::string& group) {
  RunAs run_as;
  std::optional<UserEntry> entry;
  if (!user.empty()) {
    if (const auto number = parse_number(user)) {
      entry = user_by_id(static_cast<uid_t>(*number));
      // A number needs no entry in /etc/passwd (containers often have none); its group then
      // must be given or is the same number, as `docker run --user 1234` does.
      run_as.uid = static_cast<uid_t>(*number);
      run_as.gid = entry ? entry->gid : static_cast<gid_t>(*number);
    } else {
      entry = user_by_name(user);
      if (!entry) return "uid: no user named '" + user + "' on this machine";
      run_as.uid = entry->uid;
      run_as.gid = entry->gid;
    }
  }
  if (!group.empty()) {
    if (const auto number = parse_number(group)) {
      run_as.gid = static_cast<gid_t>(*number);
    } else {
      const auto gid = look_up<struct group>(
          [&](struct group* out, char* buffer, std::size_t size, struct group** found) {
            return ::getgrnam_r(group.c_str(), out, buffer, size, found);
          },
          [](const struct group& found) { return found.gr_gid; });
      if (!gid) return "gid: no group named '" + group + "' on this machine";
      run_as.gid = *gid;
    }
  }
  if (::geteuid() == 0) {
    if (entry) {
      run_as.groups = groups_of(entry->name, *run_as.gid);
      run_as.environment = identity_of(*entry);
    } else if (run_as.uid) {
      const std::string number = std::to_string(*run_as.uid);
      run_as.environment = {{"HOME", "/"}, {"USER", number}, {"LOGNAME", number}};
    }
    return run_as;
  }
  // Not root: only "switching" to who we already are is possible, and needs no switch at all.
  const bool other_user = run_as.uid && *run_as.uid != ::geteuid();
  const bool other_group = !group.empty() && run_as.gid && *run_as.gid != ::getegid();
  if (other_user || other_group) {
    return std::string(other_user ? "uid" : "gid") +
           ": running an app as another user or group needs the daemon to run as root, and it "
           "runs as uid " +
           std::to_string(::geteuid()) + "; leave uid/gid out, or run the daemon as root";
  }
  return RunAs{};
}

void add_user_environment(const RunAs& run_as, std::map<std::string, std::string>& env,
                          const std::function<bool(const std::string&)>& set_by_app) {
  for (const auto& [key, value] : run_as.environment) {
    if (!set_by_app(key)) env.insert_or_assign(key, value);
  }
}

}  // namespace cxpm
