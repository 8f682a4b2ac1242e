#pragma once
// The words on the link between the keeper and the daemon (one SOCK_SEQPACKET datagram each,
// a descriptor beside some: sys/fd_passing.hpp). A message is a verb, a space and its
// argument; the argument is the rest of the datagram, spaces and all.
//
// daemon -> keeper
//   keep <key>        + fd  hold a duplicate of fd under key (replaces what the key held)
//   forget <key>            close the duplicate
//   ready                   the control socket answers (passed on to the CLI / systemd)
//   failed <sentence>       the daemon could not start (passed on, then it exits)
//   notify <datagram>       for systemd's $NOTIFY_SOCKET, sent on by the keeper (the main pid)
//   update <path>           the daemon exits now; start <path> in its place, or roll back
//   bye                     the daemon exits on purpose: the keeper exits with it
// keeper -> daemon
//   hello <pid> <version> [<sentence>]   first; the sentence: why the last update failed
//   fd <key>          + fd  a descriptor an earlier daemon kept, one per key
//   handed                  every kept descriptor was sent
//   exit <pid> <status>     a process re-parented to the keeper exited (waitpid's status)

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

struct LinkMessage {
  std::string verb;
  std::string argument;
};

std::string link_message(std::string_view verb, std::string_view argument = {});
// Nullopt for an empty datagram.
std::optional<LinkMessage> parse_link_message(std::string_view text);

// A key is printable, without spaces, at most kMaxKeyLength long (see kept_fds.hpp).
constexpr std::size_t kMaxKeyLength = 512;
bool valid_key(std::string_view key);

struct ReportedExit {
  pid_t pid = 0;
  int wait_status = 0;
  bool operator==(const ReportedExit&) const = default;
};
std::string exit_argument(const ReportedExit& exit);
std::optional<ReportedExit> parse_exit_argument(std::string_view argument);

struct KeeperHello {
  pid_t pid = 0;
  std::string version;
  std::string update_failure;  // empty: no update failed since the last hello
  bool operator==(const KeeperHello&) const = default;
};
std::string hello_argument(const KeeperHello& hello);
std::optional<KeeperHello> parse_hello_argument(std::string_view argument);

}  // namespace cxpm
