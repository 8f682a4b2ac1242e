#include "cxpm/sys/open_as_user.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "cxpm/sys/unix_socket.hpp"

namespace cxpm {
namespace {

// The user's supplementary groups as initgroups would set them; just the group for a uid
// the user database does not know.
std::vector<gid_t> groups_of(const FileUser& user) {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  std::vector<gid_t> groups{user.gid};
  if (::getpwuid_r(user.uid, &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    return groups;
  }
  int count = 64;
  for (int attempt = 0; attempt < 8; ++attempt) {
    groups.resize(static_cast<std::size_t>(count));
    if (::getgrouplist(found->pw_name, user.gid, groups.data(), &count) >= 0) {
      groups.resize(static_cast<std::size_t>(count));
      return groups;
    }
  }
  return {user.gid};
}

// In the child: async-signal-safe calls only (the parent has other threads).
[[noreturn]] void open_and_send(int socket, int directory_fd, const char* name, int flags,
                                mode_t mode, const FileUser& user,
                                const std::vector<gid_t>& groups) {
  int error = 0;
  int fd = -1;
  if (::setgroups(groups.size(), groups.data()) != 0 || ::setgid(user.gid) != 0 ||
      ::setuid(user.uid) != 0) {
    error = errno;
  } else {
    fd = ::openat(directory_fd, name, flags, mode);
    if (fd < 0) error = errno;
  }
  const bool sent = send_with_fd(
      socket, std::string_view(reinterpret_cast<const char*>(&error), sizeof error), fd);
  ::_exit(sent ? 0 : 1);
}

UniqueFd receive(int socket, int& error) {
  int reported = 0;
  iovec part{&reported, sizeof reported};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t got;
  do {
    got = ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got != static_cast<ssize_t>(sizeof reported)) {
    error = got < 0 ? errno : ECHILD;
    return {};
  }
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
      return UniqueFd(fd);
    }
  }
  error = reported != 0 ? reported : EPROTO;
  return {};
}

}  // namespace

UniqueFd open_as_user(int directory_fd, const std::string& name, int flags, mode_t mode,
                      const FileUser& user, int& error) {
  const std::vector<gid_t> groups = groups_of(user);
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    error = errno;
    return {};
  }
  UniqueFd ours(pair[0]);
  UniqueFd theirs(pair[1]);
  // The child starts with every signal blocked: the daemon's handlers are not for it.
  sigset_t all, previous;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &previous);
  const pid_t child = ::fork();
  if (child == 0)
    open_and_send(theirs.get(), directory_fd, name.c_str(), flags, mode, user, groups);
  const int fork_error = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (child < 0) {
    error = fork_error;
    return {};
  }
  theirs.reset();  // so a child that died unheard reads as end of file
  UniqueFd fd = receive(ours.get(), error);
  // The daemon's SIGCHLD handler may reap it first (it reaps every child): ECHILD is fine.
  while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
  }
  return fd;
}

}  // namespace cxpm
