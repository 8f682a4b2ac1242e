#pragma once
// sd_notify for apps: one datagram socket for the whole daemon. Apps send "READY=1",
// "STOPPING=1", "STATUS=…" lines to $NOTIFY_SOCKET, as they would under systemd; the kernel
// tells us the sender's pid (SO_PASSCRED), which is how a message is attributed to an
// instance — a process cannot claim to be another.
//
// The socket is abstract (NOTIFY_SOCKET=@cxpm-notify-<daemon pid>), so apps running as another
// user (uid/gid) can reach it too; the pid check is what keeps strangers out.

#include <uv.h>

#include <functional>
#include <map>
#include <string>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class NotifySocket {
 public:
  using Fields = std::map<std::string, std::string>;
  using OnMessage = std::function<void(pid_t sender, const Fields& fields)>;

  NotifySocket(uv_loop_t* loop, OnMessage on_message);

  // The value for NOTIFY_SOCKET.
  const std::string& address() const { return address_; }

 private:
  void receive();

  OnMessage on_message_;
  std::string address_;
  UniqueFd fd_;
  UvHandle<uv_poll_t> poll_;
};

// "READY=1\nSTATUS=warming up\n" → {READY: 1, STATUS: warming up}. Pure; lines without '='
// are ignored, as systemd does.
NotifySocket::Fields parse_notify_message(std::string_view text);

}  // namespace cxpm
