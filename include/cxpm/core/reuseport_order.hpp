#pragma once
// The order of the sockets in a SO_REUSEPORT group, as the kernel keeps it: a socket joins at
// the end when it listens, and when one leaves, the last takes its place
// (net/core/sock_reuseport.c). A classic BPF program attached to the group answers with an
// index into that array, so the daemon follows the array to know which index is which socket.

#include <cstdint>
#include <optional>
#include <vector>

namespace cxpm {

class ReuseportOrder {
 public:
  // `member` is the caller's name for a socket, unique within the group.
  void joined(int member);
  void left(int member);
  std::optional<std::uint32_t> index_of(int member) const;
  const std::vector<int>& members() const { return members_; }
  bool empty() const { return members_.empty(); }

 private:
  std::vector<int> members_;  // index in the kernel's array → member
};

}  // namespace cxpm
