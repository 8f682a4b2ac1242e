#include "cxpm/sys/socket_diag.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {
namespace {

// The request: the header, the dump's selection, and a filter the kernel runs on each socket
// (local port equals `port`), so a busy host's other connections are never copied to us.
struct DumpRequest {
  nlmsghdr header;
  inet_diag_req_v2 selection;
  rtattr filter_attribute;
  inet_diag_bc_op filter[2];
};

DumpRequest dump_request(int family, int port, std::uint32_t states) {
  DumpRequest request{};
  request.header.nlmsg_len = sizeof request;
  request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.selection.sdiag_family = static_cast<std::uint8_t>(family);
  request.selection.sdiag_protocol = IPPROTO_TCP;
  request.selection.idiag_states = states;
  request.selection.idiag_ext = 1 << (INET_DIAG_INFO - 1);
  request.filter_attribute.rta_type = INET_DIAG_REQ_BYTECODE;
  request.filter_attribute.rta_len = RTA_LENGTH(sizeof request.filter);
  // "sport == port": yes jumps to the end (accept), no one op past it (reject).
  request.filter[0] = {INET_DIAG_BC_S_EQ, sizeof request.filter, sizeof request.filter + 4};
  request.filter[1] = {0, 0, static_cast<std::uint16_t>(port)};
  return request;
}

TcpSocketReport report_of(const inet_diag_msg& message, const nlmsghdr& header) {
  TcpSocketReport report;
  report.state = message.idiag_state;
  report.inode = message.idiag_inode;
  report.rqueue = message.idiag_rqueue;
  report.wqueue = message.idiag_wqueue;
  auto length = static_cast<int>(header.nlmsg_len - NLMSG_LENGTH(sizeof message));
  for (auto* attribute = reinterpret_cast<const rtattr*>(reinterpret_cast<const char*>(&message) +
                                                         NLMSG_ALIGN(sizeof message));
       RTA_OK(attribute, length); attribute = RTA_NEXT(attribute, length)) {
    if (attribute->rta_type != INET_DIAG_INFO) continue;
    tcp_info info{};
    std::memcpy(&info, RTA_DATA(attribute),
                std::min<std::size_t>(RTA_PAYLOAD(attribute), sizeof info));
    report.ms_since_received = info.tcpi_last_data_recv;
    report.ms_since_sent = info.tcpi_last_data_sent;
    report.bytes_received = info.tcpi_bytes_received;
    report.bytes_acked = info.tcpi_bytes_acked;
  }
  return report;
}

}  // namespace

std::variant<std::vector<TcpSocketReport>, std::string> tcp_sockets_on_port(int family, int port,
                                                                            std::uint32_t states) {
  UniqueFd netlink{::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)};
  if (!netlink) return "sock_diag: " + error_text(errno);
  DumpRequest request = dump_request(family, port, states);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(netlink.get(), &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0) {
    return "sock_diag: " + error_text(errno);
  }
  std::vector<TcpSocketReport> reports;
  alignas(nlmsghdr) char buffer[32768];
  for (;;) {
    const ssize_t received = ::recv(netlink.get(), buffer, sizeof buffer, 0);
    if (received < 0) {
      if (errno == EINTR) continue;
      return "sock_diag: " + error_text(errno);
    }
    // Walked by hand: the NLMSG_* macros compare signed with unsigned lengths.
    std::size_t offset = 0;
    const auto size = static_cast<std::size_t>(received);
    while (offset + sizeof(nlmsghdr) <= size) {
      const auto* header = reinterpret_cast<const nlmsghdr*>(buffer + offset);
      if (header->nlmsg_len < sizeof(nlmsghdr) || offset + header->nlmsg_len > size) break;
      offset += NLMSG_ALIGN(header->nlmsg_len);
      if (header->nlmsg_type == NLMSG_DONE) return reports;
      if (header->nlmsg_type == NLMSG_ERROR) {
        const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(header));
        return "sock_diag: " + error_text(-error->error);
      }
      if (header->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) continue;
      reports.push_back(report_of(*static_cast<const inet_diag_msg*>(NLMSG_DATA(header)), *header));
    }
    if (received == 0) return reports;
  }
}

std::uint64_t socket_inode(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) return 0;
  return info.st_ino;
}

std::unordered_set<std::uint64_t> socket_inodes_held_by(pid_t pid) {
  std::unordered_set<std::uint64_t> inodes;
  const std::string directory = "/proc/" + std::to_string(pid) + "/fd";
  UniqueFd directory_fd{::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (!directory_fd) return inodes;
  DIR* entries = ::fdopendir(directory_fd.release());
  if (!entries) return inodes;
  while (const dirent* entry = ::readdir(entries)) {
    char target[64];
    const ssize_t length = ::readlinkat(::dirfd(entries), entry->d_name, target, sizeof target);
    if (length <= 9 || std::strncmp(target, "socket:[", 8) != 0) continue;
    if (auto inode = parse_whole<std::uint64_t>(
            std::string_view(target + 8, static_cast<std::size_t>(length) - 9))) {
      inodes.insert(*inode);
    }
  }
  ::closedir(entries);
  return inodes;
}

}  // namespace cxpm
