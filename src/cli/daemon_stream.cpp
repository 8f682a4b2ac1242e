#include "cxpm/cli/daemon_stream.hpp"

#include <unistd.h>

#include <cerrno>

#include "cxpm/cli/client.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {

DaemonStream DaemonStream::connect(const Home& home) {
  auto connection = UnixConnection::connect(home.socket_path());
  if (!connection) {
    throw CliError("the daemon is not running (" + home.socket_path() + ": " + error_text(errno) +
                   ")");
  }
  return DaemonStream(std::move(*connection));
}

void DaemonStream::send(const std::string& method, Json args) {
  try {
    connection_.send(encode(Request{next_id_++, method, std::move(args)}));
  } catch (const SystemError& error) {
    throw CliError("the daemon did not take the " + method + " request: " + error.what());
  }
}

DaemonStream::Arrived DaemonStream::read_ready() {
  Arrived arrived;
  char chunk[65536];
  ssize_t got;
  do {
    got = ::read(connection_.fd(), chunk, sizeof chunk);
  } while (got < 0 && errno == EINTR);
  if (got < 0 && errno == EAGAIN) return arrived;
  // A reset is as final as an orderly close: either way no reply is coming.
  if (got <= 0) {
    arrived.ended = true;
    return arrived;
  }
  framer_.feed(std::string_view(chunk, static_cast<std::size_t>(got)));
  while (auto line = framer_.next()) {
    std::variant<Event, Reply> decoded = decode_reply(*line);
    if (auto* event = std::get_if<Event>(&decoded)) {
      arrived.events.push_back(std::move(event->data));
    } else {
      arrived.reply = std::get<Reply>(std::move(decoded));
    }
  }
  if (framer_.overflowed()) throw CliError("the daemon sent a line over the frame limit");
  return arrived;
}

}  // namespace cxpm
