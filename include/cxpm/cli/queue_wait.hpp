#pragma once
// --wait[=SECONDS] and --no-wait on the lifecycle commands: how long a command waits for its
// turn while another operation holds the app (the protocol's args.queue_wait_ms).

#include <memory>
#include <string>

#include "cxpm/protocol/message.hpp"

namespace CLI {
class App;
}

namespace cxpm {

class Client;

struct QueueWait {
  std::string seconds;  // as typed; "" with a bare --wait
  bool given = false;   // --wait was given (with or without a value)
  bool none = false;    // --no-wait
};

// Adds --wait[=SECONDS] and --no-wait to `command`; the values land in `wait`.
void add_queue_wait_options(CLI::App& command, const std::shared_ptr<QueueWait>& wait);

// `args` with queue_wait_ms set when the user chose a wait; throws CliError for a bad value.
Json with_queue_wait(Json args, const QueueWait& wait);

// The daemon's busy refusal with what the user can do about it from here.
std::string busy_advice(const std::string& message, const QueueWait& wait);

// Sends a lifecycle request with the chosen wait; an error reply becomes a CliError (a busy
// one with busy_advice).
Json call_lifecycle(Client& client, const std::string& method, Json args, const QueueWait& wait);

}  // namespace cxpm
