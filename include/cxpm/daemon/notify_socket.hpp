#pragma once
// sd_notify for apps: one datagram socket for the whole daemon. Apps send "READY=1",
// "STOPPING=1", "STATUS=…" lines to $NOTIFY_SOCKET, as they would under systemd; the kernel
// tells us the sender's pid (SO_PASSCRED), which is how a message is attributed to an
// instance — a process cannot claim to be another.
//
// The socket is abstract (NOTIFY_SOCKET=@cxpm-notify-<daemon pid>), so apps running as another
// user (uid/gid) can reach it too — and so can anyone else on the machine. Strangers are kept
// out cheaply, before any /proc walk: a datagram from a pid the daemon started is passed on;
// one from another process of a uid some app runs as is passed on too (the supervisor walks
// its parents: an app's child may notify), at most kMaxLookupsPerTurn per wake-up; anything
// else is dropped, with one log line per kDropReportInterval. At most kMaxDatagramsPerTurn
// are read per wake-up, and a wake-up that was mostly strangers' is followed by a rest of
// kRestAfterFlood, so a flood costs the daemon a bounded share of one CPU.

#include <sys/types.h>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class NotifySocket {
 public:
  using Fields = std::map<std::string, std::string>;
  using OnMessage = std::function<void(pid_t sender, const Fields& fields)>;

  static constexpr int kMaxDatagramsPerTurn = 64;
  static constexpr int kMaxLookupsPerTurn = 8;
  static constexpr std::chrono::milliseconds kRestAfterFlood{20};
  static constexpr std::chrono::seconds kDropReportInterval{10};

  NotifySocket(uv_loop_t* loop, OnMessage on_message);

  // The value for NOTIFY_SOCKET.
  const std::string& address() const { return address_; }

  // A process the daemon started (its uid is read from /proc now), and its end.
  void expect(pid_t pid);
  void forget(pid_t pid);

  // Datagrams dropped as strangers' since the daemon started.
  std::uint64_t dropped() const { return dropped_; }

 private:
  void receive();
  void listen();
  void report_drops(pid_t pid, uid_t uid);

  OnMessage on_message_;
  std::string address_;
  UniqueFd fd_;
  UvHandle<uv_poll_t> poll_;
  UvHandle<uv_timer_t> rest_;
  std::unordered_map<pid_t, uid_t> known_pids_;
  std::unordered_map<uid_t, int> known_uids_;  // how many known pids run as each
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_unreported_ = 0;
  std::chrono::steady_clock::time_point last_report_{};
};

// "READY=1\nSTATUS=warming up\n" → {READY: 1, STATUS: warming up}. Pure; lines without '='
// are ignored, as systemd does.
NotifySocket::Fields parse_notify_message(std::string_view text);

}  // namespace cxpm
