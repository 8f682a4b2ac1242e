#include "cxpm/sys/user.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <vector>

namespace cxpm {
namespace {

std::optional<unsigned long> parse_number(const std::string& text) {
  unsigned long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// getpwnam_r/getgrnam_r with a buffer that grows, as their manual pages advise.
template <typename Entry, typename Lookup>
std::optional<Entry> look_up(Lookup lookup) {
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
    return entry;
  }
}

}  // namespace

std::variant<RunAs, std::string> resolve_run_as(const std::string& user, const std::string& group) {
  RunAs run_as;
  if (!user.empty()) {
    std::optional<passwd> entry;
    if (const auto number = parse_number(user)) {
      entry = look_up<passwd>([&](passwd* out, char* buffer, std::size_t size, passwd** found) {
        return ::getpwuid_r(static_cast<uid_t>(*number), out, buffer, size, found);
      });
      // A number needs no entry in /etc/passwd (containers often have none); its group then
      // must be given or is the same number, as `docker run --user 1234` does.
      run_as.uid = static_cast<uid_t>(*number);
      run_as.gid = entry ? entry->pw_gid : static_cast<gid_t>(*number);
    } else {
      entry = look_up<passwd>([&](passwd* out, char* buffer, std::size_t size, passwd** found) {
        return ::getpwnam_r(user.c_str(), out, buffer, size, found);
      });
      if (!entry) return "uid: no user named '" + user + "' on this machine";
      run_as.uid = entry->pw_uid;
      run_as.gid = entry->pw_gid;
    }
  }
  if (!group.empty()) {
    if (const auto number = parse_number(group)) {
      run_as.gid = static_cast<gid_t>(*number);
    } else {
      const auto entry = look_up<struct group>(
          [&](struct group* out, char* buffer, std::size_t size, struct group** found) {
            return ::getgrnam_r(group.c_str(), out, buffer, size, found);
          });
      if (!entry) return "gid: no group named '" + group + "' on this machine";
      run_as.gid = entry->gr_gid;
    }
  }
  if (::geteuid() == 0) return run_as;
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

}  // namespace cxpm
