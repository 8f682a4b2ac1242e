#pragma once
// The CLI's side of the control socket: connect (starting the daemon when needed), send one
// request, read its events and reply.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "cxpm/protocol/message.hpp"
#include "cxpm/sys/home.hpp"
#include "cxpm/sys/unix_socket.hpp"

namespace cxpm {

// An error the CLI prints as it is and exits non-zero for.
struct CliError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Client {
 public:
  // Connects, starting the daemon in the background when none runs and `autostart` is set.
  // Returns nullopt only when no daemon runs and autostart is off.
  static std::optional<Client> connect(const Home& home, bool autostart = true);

  // Sends a request; returns its reply, passing any events before it to on_event.
  Reply call(const std::string& method, Json args = Json::object(),
             const std::function<void(const Json&)>& on_event = {});

  // Reads until the daemon closes the connection (after `kill`).
  void wait_closed();

  // Like call, but turns an error reply into a CliError.
  Json call_ok(const std::string& method, Json args = Json::object());

 private:
  explicit Client(UnixConnection connection) : connection_(std::move(connection)) {}
  // After a write failed: the daemon's reason, if it answered before closing.
  std::optional<std::string> refusal_after_failed_write(const std::string& method,
                                                        std::size_t bytes);

  UnixConnection connection_;
  std::int64_t next_id_ = 1;
};

}  // namespace cxpm
