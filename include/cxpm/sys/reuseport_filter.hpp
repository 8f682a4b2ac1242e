#pragma once
// Steering a SO_REUSEPORT group with classic BPF (SO_ATTACH_REUSEPORT_CBPF, Linux 4.5, no
// privilege needed): the program attached to any member socket runs for each new connection
// to the group and answers with the index, in the group's array, of the socket that gets it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cxpm {

// The most sockets one program chooses among (two instructions each; BPF_MAXINSNS is 4096).
inline constexpr std::size_t kMaxSteeredSockets = 2000;

// Attaches, through member `fd`, a program that spreads new connections at random over the
// group indexes `accepting`; with none, one that leaves the choice to the kernel's hash over
// every member (an index out of range does that). Returns the failure, if any.
std::optional<std::string> attach_reuseport_filter(int fd,
                                                   const std::vector<std::uint32_t>& accepting);

}  // namespace cxpm
