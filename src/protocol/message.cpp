#include "cxpm/protocol/message.hpp"

#include <limits>
#include <stdexcept>

#include "cxpm/protocol/json_shape.hpp"

namespace cxpm {
namespace {

std::string dump_line(const Json& json) {
  // Replace invalid UTF-8 rather than throw: app output and paths are bytes, not text.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
}

Json envelope(std::int64_t id) {
  return Json{{"v", kProtocolVersion}, {"id", id}};
}

}  // namespace

std::string encode(const Request& request) {
  Json json = envelope(request.id);
  json["method"] = request.method;
  json["args"] = request.args;
  return dump_line(json);
}

std::string encode(const Reply& reply) {
  Json json = envelope(reply.id);
  if (reply.ok()) {
    json["result"] = reply.result();
  } else {
    const auto& error = reply.error();
    json["error"] = {{"code", error.code}, {"message", error.message}};
    if (!error.details.is_null()) json["error"]["details"] = error.details;
  }
  return dump_line(json);
}

std::string encode(const Event& event) {
  Json json = envelope(event.id);
  json["event"] = event.data;
  return dump_line(json);
}

EncodedEventData encode_event_data(const Json& data) {
  return {data.dump(-1, ' ', false, Json::error_handler_t::replace)};
}

EventEnvelope event_envelope(std::int64_t id) {
  // The same keys, in the same order, as encode(Event): nlohmann sorts them (event, id, v).
  return {"{\"event\":",
          ",\"id\":" + std::to_string(id) + ",\"v\":" + std::to_string(kProtocolVersion) + "}\n"};
}

std::string encode_event(std::int64_t id, const EncodedEventData& data) {
  EventEnvelope envelope = event_envelope(id);
  return envelope.head + data.json + envelope.tail;
}

Reply make_error(std::int64_t id, std::string_view code, std::string message, Json details) {
  return Reply{id, ErrorBody{std::string(code), std::move(message), std::move(details)}};
}

std::variant<Request, Reply> decode_request(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    return make_error(0, error_code::kBadRequest,
                      "an empty line is not a request; send one JSON object per line");
  }
  // Checked before a document is built: see json_shape.hpp.
  if (auto problem = check_json_shape(line)) {
    const bool syntax = problem->kind == JsonShapeProblem::Kind::kNotJson;
    return make_error(0, syntax ? error_code::kParseError : error_code::kBadRequest,
                      std::move(problem->message));
  }
  Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return make_error(0, error_code::kParseError, "the request is not valid JSON");
  }
  if (!json.is_object()) {
    return make_error(0, error_code::kBadRequest, "a request must be a JSON object");
  }
  std::int64_t id = 0;
  if (auto it = json.find("id"); it != json.end()) {
    if (!it->is_number_integer()) {
      return make_error(0, error_code::kBadRequest, "\"id\" must be an integer");
    }
    // Ids are signed 64-bit; a larger one would come back as another number.
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return make_error(0, error_code::kBadRequest,
                        "\"id\" " + it->dump() + " is out of range: ids are integers from " +
                            std::to_string(std::numeric_limits<std::int64_t>::min()) + " to " +
                            std::to_string(std::numeric_limits<std::int64_t>::max()));
    }
    id = it->get<std::int64_t>();
  }
  auto version = json.find("v");
  if (version == json.end() || !version->is_number_integer()) {
    return make_error(id, error_code::kBadRequest, "\"v\" (protocol version) must be an integer");
  }
  if (version->get<std::int64_t>() != kProtocolVersion) {
    return make_error(id, error_code::kUnsupportedVersion,
                      "protocol version " + version->dump() + " is not supported; this daemon " +
                          "speaks version " + std::to_string(kProtocolVersion));
  }
  auto method = json.find("method");
  if (method == json.end() || !method->is_string()) {
    return make_error(id, error_code::kBadRequest, "\"method\" must be a string");
  }
  Request request{id, method->get<std::string>(), Json::object()};
  if (auto args = json.find("args"); args != json.end() && !args->is_null()) {
    if (!args->is_object()) {
      return make_error(id, error_code::kInvalidArgs, "\"args\" must be an object");
    }
    request.args = *args;
  }
  return request;
}

std::variant<Event, Reply> decode_reply(std::string_view line) {
  Json json = Json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return make_error(0, error_code::kParseError, "the daemon sent a line that is not JSON");
  }
  const std::int64_t id = json.value("id", std::int64_t{0});
  if (auto event = json.find("event"); event != json.end()) return Event{id, *event};
  if (auto result = json.find("result"); result != json.end()) return Reply{id, *result};
  if (auto error = json.find("error"); error != json.end() && error->is_object()) {
    return make_error(id, error->value("code", std::string(error_code::kFailed)),
                      error->value("message", std::string("unknown error")),
                      error->value("details", Json()));
  }
  return make_error(id, error_code::kBadRequest, "the daemon sent a reply with no result");
}

}  // namespace cxpm
