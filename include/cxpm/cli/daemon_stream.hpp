#pragma once
// A connection to the daemon whose replies and events are read as they arrive, for a command
// that waits on several things at once (`cxpm monit`: keys, a log stream, a list and a restart
// under way). Client's calls block until their reply; this one hands its descriptor to poll()
// and reads only what is there, so a daemon slow to answer never stops the keys.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cxpm/protocol/framing.hpp"
#include "cxpm/protocol/message.hpp"
#include "cxpm/sys/home.hpp"
#include "cxpm/sys/unix_socket.hpp"

namespace cxpm {

class DaemonStream {
 public:
  // Connects to the running daemon, never starting one: throws CliError when none runs.
  static DaemonStream connect(const Home& home);

  // Sends method M; its events and then its reply come through read_ready(). One request at
  // a time: send the next after the reply.
  template <typename M>
  void send(const typename M::Args& args) {
    send(std::string(M::kName), to_json(args));
  }

  int fd() const { return connection_.fd(); }

  // What one read brought: events in order, and the reply when it came. `ended`: the daemon
  // closed the connection (or reset it); nothing more comes.
  struct Arrived {
    std::vector<Json> events;
    std::optional<Reply> reply;
    bool ended = false;
  };
  // Reads what the socket holds now; call it when poll() says fd() is readable.
  Arrived read_ready();

 private:
  explicit DaemonStream(UnixConnection connection) : connection_(std::move(connection)) {}
  void send(const std::string& method, Json args);

  UnixConnection connection_;
  LineFramer framer_;
  std::int64_t next_id_ = 1;
};

}  // namespace cxpm
