#pragma once
// A blocking Unix stream connection for the CLI (connect, send, read lines), and passing a
// descriptor between processes (SCM_RIGHTS).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class UnixConnection {
 public:
  // Returns nullopt (with errno set) when nothing listens at `path`.
  static std::optional<UnixConnection> connect(const std::string& path);

  void send(std::string_view bytes);  // throws SystemError
  // The next line without its newline; nullopt at end of stream. Throws on a read error.
  std::optional<std::string> read_line();

  int fd() const { return fd_.get(); }

 private:
  explicit UnixConnection(UniqueFd fd) : fd_(std::move(fd)) {}

  UniqueFd fd_;
  std::string buffer_;
};

// Waits until `fd` is readable or `timeout` passes; true when readable.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

// Sends `bytes` and, when `fd` >= 0, that descriptor in a single message; false on failure
// (errno set). Async-signal-safe, so a forked child may call it.
bool send_with_fd(int socket, std::string_view bytes, int fd);

}  // namespace cxpm
