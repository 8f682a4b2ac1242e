#include "cxpm/sys/reuseport_filter.hpp"

#include <linux/filter.h>
#include <sys/socket.h>

#include <cerrno>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

// An index no group has: the kernel then picks by its hash among all members.
constexpr std::uint32_t kKernelChooses = 0xffffffff;

sock_filter statement(std::uint16_t code, std::uint32_t k) {
  return {code, 0, 0, k};
}

sock_filter jump_if_equal(std::uint32_t k, std::uint8_t if_true, std::uint8_t if_false) {
  return {BPF_JMP | BPF_JEQ | BPF_K, if_true, if_false, k};
}

std::vector<sock_filter> program_for(const std::vector<std::uint32_t>& accepting) {
  std::vector<sock_filter> program;
  if (accepting.empty()) {
    program.push_back(statement(BPF_RET | BPF_K, kKernelChooses));
    return program;
  }
  // A = random % n; then the n-th accepting index. Random rather than the packet's hash: a
  // SYN's skb->hash is 0 on devices without receive hashing, which would send every
  // connection to one worker.
  program.push_back(
      statement(BPF_LD | BPF_W | BPF_ABS, static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_RANDOM)));
  program.push_back(
      statement(BPF_ALU | BPF_MOD | BPF_K, static_cast<std::uint32_t>(accepting.size())));
  for (std::uint32_t n = 0; n < accepting.size(); ++n) {
    program.push_back(jump_if_equal(n, 0, 1));
    program.push_back(statement(BPF_RET | BPF_K, accepting[n]));
  }
  program.push_back(statement(BPF_RET | BPF_K, kKernelChooses));
  return program;
}

}  // namespace

std::optional<std::string> attach_reuseport_filter(int fd,
                                                   const std::vector<std::uint32_t>& accepting) {
  if (accepting.size() > kMaxSteeredSockets) {
    return "more than " + std::to_string(kMaxSteeredSockets) + " sockets in one group";
  }
  std::vector<sock_filter> program = program_for(accepting);
  sock_fprog attached{static_cast<unsigned short>(program.size()), program.data()};
  if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &attached, sizeof attached) != 0) {
    return "SO_ATTACH_REUSEPORT_CBPF: " + error_text(errno);
  }
  return std::nullopt;
}

}  // namespace cxpm
