#pragma once
// One message and at most one descriptor per datagram of a SOCK_SEQPACKET socket (the link
// between the keeper and the daemon): SCM_RIGHTS carries the descriptor, the kernel keeps
// each datagram whole and in order, so no framing is needed.

#include <cstddef>
#include <optional>
#include <string>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// The largest message either side sends (a key, an update path, an error sentence).
constexpr std::size_t kMaxLinkMessage = 8192;

// Sends `text` with `fd` (or none when -1). Returns false on any failure (errno says which;
// EAGAIN when the socket's send timeout passed), never throws: the link's owner decides.
bool send_message(int socket, const std::string& text, int fd = -1);

struct ReceivedMessage {
  std::string text;
  UniqueFd fd;  // the descriptor that came with it, if any (close-on-exec)
};

// One message, or nullopt at end of file or on an error (errno is 0 at end of file).
// `wait`: block for it; otherwise EAGAIN when none is there.
std::optional<ReceivedMessage> receive_message(int socket, bool wait);

}  // namespace cxpm
