#pragma once
// One sd_notify datagram ("READY=1\nSTATUS=...") to the unix socket named as $NOTIFY_SOCKET
// names it ('/' first: a path; '@' first: an abstract address).

#include <string>

namespace cxpm {

// Empty on success, else why it was not sent.
std::string send_notify_datagram(const std::string& address, const std::string& message);

}  // namespace cxpm
