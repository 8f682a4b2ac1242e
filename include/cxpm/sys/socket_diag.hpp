#pragma once
// What the kernel reports of TCP sockets through sock_diag (NETLINK_SOCK_DIAG, inet_diag: what
// `ss -tni` shows), and which sockets a process holds (/proc/<pid>/fd). No privilege is needed
// for either on sockets of the caller's user, or as root.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

namespace cxpm {

struct TcpSocketReport {
  int state = 0;             // TCP_LISTEN, TCP_ESTABLISHED, … (netinet/tcp.h)
  std::uint64_t inode = 0;   // 0 for sockets no file holds (orphans, half-open)
  std::uint32_t rqueue = 0;  // listener: connections in its accept queue; else unread bytes
  std::uint32_t wqueue = 0;  // listener: its backlog; else bytes not yet acknowledged
  std::uint32_t ms_since_received = 0;  // tcp_info (0 for listeners)
  std::uint32_t ms_since_sent = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_acked = 0;
};

// TCP sockets of `family` (AF_INET or AF_INET6) whose local port is `port`, in the states of
// the `states` mask (1 << TCP_LISTEN | …); or the failure.
std::variant<std::vector<TcpSocketReport>, std::string> tcp_sockets_on_port(int family, int port,
                                                                            std::uint32_t states);

// The inode that names socket `fd` in sock_diag and /proc; 0 when fd is not a socket.
std::uint64_t socket_inode(int fd);

// The inodes of the sockets process `pid` holds open; empty when it is gone.
std::unordered_set<std::uint64_t> socket_inodes_held_by(pid_t pid);

}  // namespace cxpm
