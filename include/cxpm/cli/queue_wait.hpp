#pragma once
// --wait[=SECONDS] and --no-wait on the lifecycle commands: how long a command waits for its
// turn while another operation holds the app (the protocol's queue_wait).

#include <memory>
#include <string>

#include "cxpm/cli/client.hpp"
#include "cxpm/protocol/methods.hpp"

namespace CLI {
class App;
}

namespace cxpm {

// The flags as typed.
struct WaitFlags {
  std::string seconds;  // as typed; "" with a bare --wait
  bool given = false;   // --wait was given (with or without a value)
  bool none = false;    // --no-wait
};

// Adds --wait[=SECONDS] and --no-wait to `command`; the values land in `wait`.
void add_queue_wait_options(CLI::App& command, const std::shared_ptr<WaitFlags>& wait);

// Sets the request's queue_wait when the user chose one; throws CliError for a bad value.
void apply_wait(QueueWait& args, const WaitFlags& wait);

// The daemon's busy refusal with what the user can do about it from here.
std::string busy_advice(const std::string& message, const WaitFlags& wait);

// Calls lifecycle method M with the chosen wait; an error reply becomes a CliError (a busy
// one with busy_advice).
template <typename M>
typename M::Result call_lifecycle(Client& client, typename M::Args args, const WaitFlags& wait) {
  apply_wait(args, wait);
  auto outcome = client.try_call<M>(args);
  if (auto* error = std::get_if<ErrorBody>(&outcome)) {
    if (error->code == error_code::kBusy) throw CliError(busy_advice(error->message, wait));
    throw CliError(error->message);
  }
  return std::get<typename M::Result>(std::move(outcome));
}

}  // namespace cxpm
