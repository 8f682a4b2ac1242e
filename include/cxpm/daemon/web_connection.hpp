#pragma once
// One HTTP client of the web server (web_server.hpp), on the web loop: its request read with
// http-parser, then answered once (files and the API) or streamed (server-sent events).

#include <http_parser.h>
#include <uv.h>

#include <atomic>
#include <memory>
#include <string>

#include "cxpm/core/request_headers.hpp"
#include "cxpm/core/web_routes.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/daemon/web_bridge.hpp"

namespace cxpm {

class WebServer;

class WebConnection : public std::enable_shared_from_this<WebConnection> {
 public:
  WebConnection(WebServer& server, uv_loop_t* loop);
  ~WebConnection();

  uv_stream_t* stream() { return socket_.stream(); }
  // Reads the request (after the server accepted into stream()).
  void start();
  // Refuses at once: the server is full.
  void refuse_busy();
  // What the supervisor's side answered this connection's request.
  void answered(WebOutput output);
  void close();

 private:
  enum class Answer { kNone, kJson, kProcessList, kMetrics, kStream };
  // http-parser's callbacks.
  static int on_url(http_parser* parser, const char* at, std::size_t length);
  static int on_header_field(http_parser* parser, const char* at, std::size_t length);
  static int on_header_value(http_parser* parser, const char* at, std::size_t length);
  static int on_message_complete(http_parser* parser);

  void on_bytes(const char* bytes, std::size_t length);
  void handle();
  void ask(WebJob::Kind kind, std::string method, Json args, Answer answer);
  void serve_file(const std::string& path);
  void start_stream();
  void keep_alive();
  void respond(int status, std::string_view content_type, std::string body,
               std::string extra_headers = {});
  void respond_error(int status, std::string_view code, const std::string& message,
                     std::string extra_headers = {});
  // Writes `bytes`; `then_close` closes once they are written; `counted`: stream bytes the
  // sink counted as unsent until now.
  void write(std::string bytes, bool then_close, std::size_t counted = 0);

  WebServer& server_;
  UvHandle<uv_tcp_t> socket_;
  Timer timer_;  // the request's time, then the answer's; a stream's keep-alive
  http_parser parser_{};
  http_parser_settings callbacks_{};
  std::string url_;
  RequestHeaders headers_;  // Authorization, Host, Origin
  std::size_t received_ = 0;
  bool complete_ = false;   // the whole request is read
  bool responded_ = false;  // a response began (headers written)
  bool closed_ = false;
  Answer answer_ = Answer::kNone;
  std::uint64_t request_ = 0;  // the supervisor side's request id, while answering
  std::shared_ptr<std::atomic<std::size_t>> unsent_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace cxpm
