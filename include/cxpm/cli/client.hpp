#pragma once
// The CLI's side of the control socket: connect (starting the daemon when needed), send one
// request, read its events and reply.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>

#include "cxpm/protocol/message.hpp"
#include "cxpm/protocol/methods.hpp"
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

  // Calls method M (protocol/methods.hpp) and returns its result; an error reply is a
  // CliError with the daemon's message.
  template <typename M>
  typename M::Result call(const typename M::Args& args = {}) {
    auto outcome = try_call<M>(args);
    if (auto* error = std::get_if<ErrorBody>(&outcome)) throw CliError(error->message);
    return std::get<typename M::Result>(std::move(outcome));
  }

  // Calls method M, passing each of its events to on_event; returns its result or its error.
  template <typename M>
  std::variant<typename M::Result, ErrorBody> try_call(
      const typename M::Args& args = {},
      const std::function<void(const typename M::Event&)>& on_event = {}) {
    const std::string method(M::kName);
    std::function<void(const Json&)> on_data;
    if constexpr (!std::is_same_v<typename M::Event, NoEvents>) {
      if (on_event) {
        on_data = [&](const Json& data) {
          on_event(read_reply<typename M::Event>(method, data, "event"));
        };
      }
    }
    Reply reply = exchange(method, to_json(args), on_data);
    if (!reply.ok()) return reply.error();
    return read_reply<typename M::Result>(method, reply.result(), "result");
  }

  // The structured details of an error reply, read as T.
  template <typename T>
  static T details_of(const ErrorBody& error, const std::string& method) {
    return read_reply<T>(method, error.details, "error.details");
  }

  // Reads until the daemon closes the connection (after `kill`).
  void wait_closed();

 private:
  // Sends a request; returns its reply, passing any events before it to on_event.
  Reply exchange(const std::string& method, Json args,
                 const std::function<void(const Json&)>& on_event);

  // A reply's part as T; one that does not read is a CliError naming the field.
  template <typename T>
  static T read_reply(const std::string& method, const Json& json, const char* part) {
    try {
      return decode<T>(json, part);
    } catch (const ArgsError& error) {
      throw CliError("the daemon's answer to " + method + " does not read: " + error.what());
    }
  }

  explicit Client(UnixConnection connection) : connection_(std::move(connection)) {}
  // After a write failed: the daemon's reason, if it answered before closing.
  std::optional<std::string> refusal_after_failed_write(const std::string& method,
                                                        std::size_t bytes);

  UnixConnection connection_;
  std::int64_t next_id_ = 1;
};

}  // namespace cxpm
