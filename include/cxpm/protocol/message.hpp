#pragma once
// The control protocol's envelope: one JSON object per line.
//   request  {"v":1,"id":7,"method":"start","args":{...}}
//   reply    {"v":1,"id":7,"result":{...}}   or   {"v":1,"id":7,"error":{"code":..,"message":..}}
//   event    {"v":1,"id":7,"event":{...}}    zero or more before the reply, for streams
// See docs/protocol.md.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cxpm {

using Json = nlohmann::json;

inline constexpr int kProtocolVersion = 1;

namespace error_code {
inline constexpr std::string_view kParseError = "parse_error";         // not JSON
inline constexpr std::string_view kBadRequest = "bad_request";         // JSON, not a request
inline constexpr std::string_view kFrameTooLarge = "frame_too_large";  // over kMaxFrameBytes
inline constexpr std::string_view kUnsupportedVersion = "unsupported_version";
inline constexpr std::string_view kUnknownMethod = "unknown_method";
inline constexpr std::string_view kInvalidArgs = "invalid_args";
inline constexpr std::string_view kNotFound = "not_found";
inline constexpr std::string_view kConflict = "conflict";
// Another lifecycle operation held the app for longer than this one would wait; retry.
inline constexpr std::string_view kBusy = "busy";
inline constexpr std::string_view kFailed = "failed";  // the request was valid; the work failed
// The daemon's own limits (see docs/protocol.md, "Limits"):
inline constexpr std::string_view kTooManyConnections = "too_many_connections";
inline constexpr std::string_view kIdleTimeout = "idle_timeout";
inline constexpr std::string_view kTooSlow = "too_slow";  // a reader fell too far behind
}  // namespace error_code

struct Request {
  std::int64_t id = 0;
  std::string method;
  Json args = Json::object();
};

struct ErrorBody {
  std::string code;
  std::string message;
  Json details;  // optional structured context (e.g. the known app names)
};

struct Reply {
  std::int64_t id = 0;
  std::variant<Json, ErrorBody> body;  // result or error

  bool ok() const { return body.index() == 0; }
  const Json& result() const { return std::get<0>(body); }
  const ErrorBody& error() const { return std::get<1>(body); }
};

struct Event {
  std::int64_t id = 0;
  Json data;
};

std::string encode(const Request& request);
std::string encode(const Reply& reply);
std::string encode(const Event& event);

// An event's data encoded once, for sending to many requests (a log line to every follower):
// encode_event(id, data) is encode(Event{id, data}) without dumping the data again.
struct EncodedEventData {
  std::string json;
};
EncodedEventData encode_event_data(const Json& data);
std::string encode_event(std::int64_t id, const EncodedEventData& data);
// What encode_event puts before and after the data, for data kept once in memory however
// many requests it is sent to: head + data.json + tail == encode_event(id, data).
struct EventEnvelope {
  std::string head;
  std::string tail;
};
EventEnvelope event_envelope(std::int64_t id);

// A request line from a client. On failure, the error reply to send (with the id when known).
std::variant<Request, Reply> decode_request(std::string_view line);

// A line from the daemon: an event or the final reply.
std::variant<Event, Reply> decode_reply(std::string_view line);

Reply make_error(std::int64_t id, std::string_view code, std::string message,
                 Json details = nullptr);

}  // namespace cxpm
