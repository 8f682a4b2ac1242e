#include "cxpm/daemon/web_connection.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cxpm/core/clock.hpp"
#include "cxpm/core/prometheus_text.hpp"
#include "cxpm/daemon/web_assets.hpp"
#include "cxpm/daemon/web_server.hpp"
#include "cxpm/protocol/args.hpp"
#include "cxpm/protocol/process_list.hpp"

namespace cxpm {
namespace {

// Recent lines or events a new stream starts with, before the live ones.
constexpr int kStreamBacklogLines = 20;

std::string_view reason_of(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Internal Server Error";
  }
}

// The protocol's error codes as HTTP statuses.
int status_of(std::string_view code) {
  if (code == error_code::kNotFound) return 404;
  if (code == error_code::kInvalidArgs || code == error_code::kBadRequest) return 400;
  if (code == error_code::kBusy || code == error_code::kConflict) return 409;
  return 500;
}

std::string error_json(std::string_view code, const std::string& message) {
  return Json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

// A write whose completion gives the stream's bytes back to its sink's count and, at the
// last one, closes the connection (if it still exists).
struct OwnedWrite {
  uv_write_t write{};
  std::string bytes;
  std::weak_ptr<WebConnection> connection;
  std::shared_ptr<std::atomic<std::size_t>> unsent;
  std::size_t counted = 0;
  bool then_close = false;
};

}  // namespace

WebConnection::WebConnection(WebServer& server, uv_loop_t* loop) : server_(server), timer_(loop) {
  uv_tcp_init(loop, socket_.get());
  socket_.mark_initialized();
  socket_.get()->data = this;
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  callbacks_.on_url = &WebConnection::on_url;
  callbacks_.on_header_field = &WebConnection::on_header_field;
  callbacks_.on_header_value = &WebConnection::on_header_value;
  callbacks_.on_message_complete = &WebConnection::on_message_complete;
}

WebConnection::~WebConnection() {
  close();
}

void WebConnection::start() {
  timer_.start(WebServer::kRequestTimeout,
               [this] { respond_error(408, "timeout", "the request took too long to arrive"); });
  uv_read_start(
      stream(),
      [](uv_handle_t*, std::size_t, uv_buf_t* buffer) {
        static thread_local char bytes[16384];
        *buffer = uv_buf_init(bytes, sizeof bytes);
      },
      [](uv_stream_t* stream, ssize_t length, const uv_buf_t* buffer) {
        auto* self = static_cast<WebConnection*>(stream->data);
        if (length < 0) {
          // The client went (or reset): nothing more to send it.
          auto keep = self->shared_from_this();
          self->server_.forget(self);
          return;
        }
        if (length > 0) self->on_bytes(buffer->base, static_cast<std::size_t>(length));
      });
}

void WebConnection::refuse_busy() {
  respond_error(503, "too_many_connections", "the web server has too many connections");
}

int WebConnection::on_url(http_parser* parser, const char* at, std::size_t length) {
  static_cast<WebConnection*>(parser->data)->url_.append(at, length);
  return 0;
}

int WebConnection::on_header_field(http_parser* parser, const char* at, std::size_t length) {
  static_cast<WebConnection*>(parser->data)->headers_.name_piece({at, length});
  return 0;
}

int WebConnection::on_header_value(http_parser* parser, const char* at, std::size_t length) {
  static_cast<WebConnection*>(parser->data)->headers_.value_piece({at, length});
  return 0;
}

int WebConnection::on_message_complete(http_parser* parser) {
  auto* self = static_cast<WebConnection*>(parser->data);
  self->complete_ = true;
  http_parser_pause(parser, 1);  // one request per connection: the rest is not read
  return 0;
}

void WebConnection::on_bytes(const char* bytes, std::size_t length) {
  if (complete_ || responded_) return;  // a stream's client says nothing more we need
  received_ += length;
  if (received_ > WebServer::kMaxRequestBytes) {
    return respond_error(413, "too_large", "the request is over 16 KiB");
  }
  http_parser_execute(&parser_, &callbacks_, bytes, length);
  const auto error = HTTP_PARSER_ERRNO(&parser_);
  if (error != HPE_OK && error != HPE_PAUSED) {
    return respond_error(400, "bad_request", http_errno_description(error));
  }
  if (complete_) handle();
}

void WebConnection::handle() {
  const std::string method = http_method_str(static_cast<http_method>(parser_.method));
  const WebRoute route = route_web_request(method, url_);
  if (headers_.fault() != RequestHeaders::Fault::kNone) {
    const bool too_long = headers_.fault() == RequestHeaders::Fault::kTooLong;
    return respond_error(too_long ? 431 : 400, too_long ? "too_large" : "bad_request",
                         headers_.fault_message());
  }
  using Header = RequestHeaders::Name;
  // Before the token: a browser adds Basic credentials to another site's requests too, so
  // what such a request carries proves nothing.
  if (cross_site(method, headers_.get(Header::kOrigin), headers_.get(Header::kHost))) {
    return respond_error(403, "cross_origin",
                         "the Origin is not this server's: actions from another site's page "
                         "are refused (docs/web.md)");
  }
  if (needs_token(method, server_.public_access_) &&
      !carries_token(headers_.get(Header::kAuthorization).value_or(""), server_.token_)) {
    return respond_error(401, "unauthorized",
                         "this needs the token: Authorization: Bearer <token>, or Basic with "
                         "the token as the password (docs/web.md)",
                         auth_challenges(server_.public_access_));
  }
  timer_.start(WebServer::kAnswerTimeout, [this] {
    server_.cancel(request_);
    respond_error(504, "timeout", "the daemon did not answer in time");
  });
  using Kind = WebRoute::Kind;
  switch (route.kind) {
    case Kind::kMetrics:
      return ask(WebJob::Kind::kMetrics, {}, {}, Answer::kMetrics);
    case Kind::kProcesses:
      return ask(WebJob::Kind::kRequest, "describe", Json{{"targets", {"all"}}},
                 Answer::kProcessList);
    case Kind::kProcess:
      return ask(WebJob::Kind::kRequest, "describe", Json{{"targets", {route.name}}},
                 Answer::kJson);
    case Kind::kAction:
      return ask(WebJob::Kind::kRequest, route.action, Json{{"targets", {route.name}}},
                 Answer::kJson);
    case Kind::kEventStream:
      start_stream();
      return ask(WebJob::Kind::kRequest, "events",
                 Json{{"lines", kStreamBacklogLines}, {"follow", true}}, Answer::kStream);
    case Kind::kLogStream:
      start_stream();
      return ask(WebJob::Kind::kRequest, "logs",
                 Json{{"targets", {route.name.empty() ? "all" : route.name}},
                      {"lines", kStreamBacklogLines},
                      {"follow", true}},
                 Answer::kStream);
    case Kind::kAsset:
      return serve_file(route.path);
    case Kind::kMethodNotAllowed:
      return respond_error(405, "method_not_allowed", "use " + route.allow,
                           "Allow: " + route.allow + "\r\n");
    case Kind::kBadRequest:
      return respond_error(400, "bad_request", "the target does not decode");
    case Kind::kNotFound:
      break;
  }
  respond_error(404, "not_found", "no such path: " + url_);
}

void WebConnection::ask(WebJob::Kind kind, std::string method, Json args, Answer answer) {
  answer_ = answer;
  WebJob job;
  job.kind = kind;
  job.call = Request{0, std::move(method), std::move(args)};
  job.unsent = unsent_;
  request_ = server_.ask(this, std::move(job));
}

void WebConnection::serve_file(const std::string& path) {
  for (const auto& asset : web_assets()) {
    if (asset.path != path) continue;
    return respond(200, asset.content_type, std::string(asset.body),
                   "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n");
  }
  respond_error(404, "not_found", "no such file: " + path);
}

void WebConnection::start_stream() {
  responded_ = true;
  write(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "X-Accel-Buffering: no\r\nConnection: close\r\n\r\n",
      false);
  // Reading on shows when the client goes; what it sends is ignored (on_bytes).
  keep_alive();
}

void WebConnection::keep_alive() {
  timer_.start(WebServer::kStreamKeepAlive, [this] {
    write(": keep-alive\n\n", false);
    keep_alive();
  });
}

void WebConnection::answered(WebOutput output) {
  if (closed_) return;
  if (answer_ == Answer::kStream) {
    if (!output.final) {
      const std::size_t size = output.event.size();
      return write("data: " + output.event + "\n\n", false, size);
    }
    request_ = 0;
    const Reply& reply = output.reply;
    const Json end =
        reply.ok()
            ? Json{{"result", reply.result()}}
            : Json{{"error", {{"code", reply.error().code}, {"message", reply.error().message}}}};
    return write("event: end\ndata: " + end.dump() + "\n\n", true);
  }
  if (!output.final) return;  // no other answer streams
  request_ = 0;
  const Reply& reply = output.reply;
  if (!reply.ok()) {
    return respond_error(status_of(reply.error().code), reply.error().code, reply.error().message);
  }
  try {
    if (answer_ == Answer::kMetrics) {
      return respond(200, kPrometheusContentType, reply.result().get<std::string>());
    }
    if (answer_ == Answer::kProcessList) {
      const auto described = decode<DescribeResult>(reply.result(), "result");
      return respond(200, "application/json", process_list_json(described, unix_now_ms()).dump());
    }
    respond(200, "application/json", reply.result().dump());
  } catch (const std::exception& error) {
    respond_error(500, "failed", error.what());
  }
}

void WebConnection::respond(int status, std::string_view content_type, std::string body,
                            std::string extra_headers) {
  if (responded_) return;
  responded_ = true;
  timer_.stop();
  write(fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}"
                    "Connection: close\r\n\r\n",
                    status, reason_of(status), content_type, body.size(), extra_headers) +
            body,
        true);
}

void WebConnection::respond_error(int status, std::string_view code, const std::string& message,
                                  std::string extra_headers) {
  respond(status, "application/json", error_json(code, message), std::move(extra_headers));
}

void WebConnection::write(std::string bytes, bool then_close, std::size_t counted) {
  if (closed_) return;
  auto* request =
      new OwnedWrite{{}, std::move(bytes), weak_from_this(), unsent_, counted, then_close};
  request->write.data = request;
  uv_buf_t buffer = uv_buf_init(request->bytes.data(), request->bytes.size());
  const int result = uv_write(&request->write, stream(), &buffer, 1, [](uv_write_t* write, int) {
    std::unique_ptr<OwnedWrite> done(static_cast<OwnedWrite*>(write->data));
    done->unsent->fetch_sub(done->counted);
    if (!done->then_close) return;
    if (auto connection = done->connection.lock()) connection->server_.forget(connection.get());
  });
  if (result != 0) {
    unsent_->fetch_sub(counted);
    delete request;
    server_.forget(this);
  }
}

void WebConnection::close() {
  if (closed_) return;
  closed_ = true;
  if (request_ != 0) server_.cancel(request_);
  request_ = 0;
  timer_.stop();
  socket_.close();
}

}  // namespace cxpm
