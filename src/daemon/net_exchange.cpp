#include "cxpm/daemon/net_exchange.hpp"

#include <http_parser.h>

#include <cstring>

namespace cxpm {
namespace {

// A response's head larger than this is no answer a health check or webhook expects.
constexpr std::size_t kMaxResponseHead = 64 * 1024;

std::string uv_text(int code) {
  return uv_strerror(code);
}

// A tcp connect, and with a request the request and the response's status line and headers.
// Owns itself: deleted once its handles are closed (and a name lookup under way has come back).
class NetExchange {
 public:
  NetExchange(uv_loop_t* loop, std::string host, int port, std::string timeout_name, NetDone done)
      : loop_(loop),
        host_(std::move(host)),
        port_(port),
        timeout_name_(std::move(timeout_name)),
        done_(std::move(done)) {
    uv_timer_init(loop_, &timer_);
    uv_handle_set_data(handle(&timer_), this);
    uv_unref(handle(&timer_));
    uv_tcp_init(loop_, &tcp_);
    uv_handle_set_data(handle(&tcp_), this);
    handles_open_ = 2;
  }

  void as_http(std::string request) {
    request_ = std::move(request);
    http_ = true;
    http_parser_init(&parser_, HTTP_RESPONSE);
    parser_.data = this;
    http_parser_settings_init(&settings_);
    settings_.on_headers_complete = [](http_parser* parser) {
      static_cast<NetExchange*>(parser->data)->headers_done_ = true;
      return 1;  // the status is all a caller needs: skip the body
    };
  }

  void start(Milliseconds timeout) {
    uv_timer_start(
        &timer_,
        [](uv_timer_t* timer) {
          auto* self = static_cast<NetExchange*>(uv_handle_get_data(handle(timer)));
          self->finish("no answer within " + self->timeout_name_ + " " +
                       std::to_string(self->timeout_.count()) + " ms");
        },
        static_cast<std::uint64_t>(timeout.count()), 0);
    timeout_ = timeout;
    sockaddr_storage address{};
    if (uv_ip4_addr(host_.c_str(), port_, reinterpret_cast<sockaddr_in*>(&address)) == 0 ||
        uv_ip6_addr(host_.c_str(), port_, reinterpret_cast<sockaddr_in6*>(&address)) == 0) {
      return connect(reinterpret_cast<const sockaddr*>(&address));
    }
    // A name: looked up on the thread pool.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    resolving_ = true;
    resolve_.data = this;
    const int result = uv_getaddrinfo(
        loop_, &resolve_,
        [](uv_getaddrinfo_t* request, int status, addrinfo* found) {
          auto* self = static_cast<NetExchange*>(request->data);
          self->resolving_ = false;
          if (status != 0 || !found) {
            self->finish("resolve " + self->host_ + ": " + uv_text(status));
          } else if (!self->finished_) {
            sockaddr_storage address{};
            std::memcpy(&address, found->ai_addr, found->ai_addrlen);
            reinterpret_cast<sockaddr_in*>(&address)->sin_port =
                htons(static_cast<std::uint16_t>(self->port_));
            self->connect(reinterpret_cast<const sockaddr*>(&address));
          }
          uv_freeaddrinfo(found);
          self->delete_when_done();
        },
        host_.c_str(), nullptr, &hints);
    if (result != 0) {
      resolving_ = false;
      finish("resolve " + host_ + ": " + uv_text(result));
    }
  }

 private:
  static uv_handle_t* handle(void* any) { return static_cast<uv_handle_t*>(any); }

  std::string where() const { return host_ + ":" + std::to_string(port_); }

  void connect(const sockaddr* address) {
    connect_.data = this;
    const int result =
        uv_tcp_connect(&connect_, &tcp_, address, [](uv_connect_t* request, int status) {
          auto* self = static_cast<NetExchange*>(request->data);
          if (status != 0) return self->finish("connect " + self->where() + ": " + uv_text(status));
          if (!self->http_) return self->complete({});
          self->send_request();
        });
    if (result != 0) finish("connect " + where() + ": " + uv_text(result));
  }

  void send_request() {
    if (finished_) return;
    write_.data = this;
    uv_buf_t buffer = uv_buf_init(request_.data(), static_cast<unsigned>(request_.size()));
    const int result =
        uv_write(&write_, reinterpret_cast<uv_stream_t*>(&tcp_), &buffer, 1,
                 [](uv_write_t* request, int status) {
                   auto* self = static_cast<NetExchange*>(request->data);
                   if (status != 0 && status != UV_ECANCELED) {
                     self->finish("send to " + self->where() + ": " + uv_text(status));
                   }
                 });
    if (result != 0) return finish("send to " + where() + ": " + uv_text(result));
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t* handle, std::size_t, uv_buf_t* buffer) {
          auto* self = static_cast<NetExchange*>(uv_handle_get_data(handle));
          *buffer = uv_buf_init(self->buffer_, sizeof self->buffer_);
        },
        [](uv_stream_t* stream, ssize_t read, const uv_buf_t* buffer) {
          auto* self = static_cast<NetExchange*>(uv_handle_get_data(handle(stream)));
          self->on_read(read, buffer->base);
        });
  }

  void on_read(ssize_t read, const char* bytes) {
    if (finished_ || read == 0) return;
    if (read < 0) {
      // EOF: http-parser hears it as a zero-length execute and may then complete.
      if (read == UV_EOF) http_parser_execute(&parser_, &settings_, nullptr, 0);
      if (headers_done_) return answered();
      return finish(read == UV_EOF
                        ? "the connection to " + where() + " closed before a response"
                        : "read from " + where() + ": " + uv_text(static_cast<int>(read)));
    }
    received_ += static_cast<std::size_t>(read);
    http_parser_execute(&parser_, &settings_, bytes, static_cast<std::size_t>(read));
    if (headers_done_) return answered();
    if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK) {
      return finish(std::string("not an HTTP response from ") + where() + ": " +
                    http_errno_description(HTTP_PARSER_ERRNO(&parser_)));
    }
    if (received_ > kMaxResponseHead) {
      finish("the response's head from " + where() + " is over 64 KiB");
    }
  }

  void answered() { complete({.status = static_cast<int>(parser_.status_code)}); }

  void finish(std::string error) { complete({.error = std::move(error)}); }

  void complete(NetAnswer answer) {
    if (finished_) return;
    finished_ = true;
    auto done = std::move(done_);
    uv_timer_stop(&timer_);
    if (resolving_) uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_));
    const auto closed = [](uv_handle_t* handle) {
      auto* self = static_cast<NetExchange*>(uv_handle_get_data(handle));
      --self->handles_open_;
      self->delete_when_done();
    };
    uv_close(handle(&timer_), closed);
    uv_close(handle(&tcp_), closed);
    done(std::move(answer));
  }

  void delete_when_done() {
    if (handles_open_ == 0 && !resolving_) delete this;
  }

  uv_loop_t* loop_;
  std::string host_;
  int port_;
  std::string timeout_name_;
  NetDone done_;
  Milliseconds timeout_{0};
  uv_timer_t timer_{};
  uv_tcp_t tcp_{};
  uv_connect_t connect_{};
  uv_write_t write_{};
  uv_getaddrinfo_t resolve_{};
  bool resolving_ = false;
  bool finished_ = false;
  int handles_open_ = 0;
  bool http_ = false;
  std::string request_;
  http_parser parser_{};
  http_parser_settings settings_{};
  bool headers_done_ = false;
  std::size_t received_ = 0;
  char buffer_[4096];
};

}  // namespace

void net_exchange(uv_loop_t* loop, const std::string& host, int port, std::string request,
                  Milliseconds timeout, std::string timeout_name, NetDone done) {
  auto* exchange = new NetExchange(loop, host, port, std::move(timeout_name), std::move(done));
  if (!request.empty()) exchange->as_http(std::move(request));
  exchange->start(timeout);
}

std::string http_request_text(std::string_view method, const HttpTarget& target,
                              std::string_view user_agent, std::string_view content_type,
                              std::string_view body) {
  const bool v6 = target.host.find(':') != std::string::npos;
  const std::string host =
      (v6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
  std::string text = std::string(method) + " " + target.path + " HTTP/1.1\r\nHost: " + host +
                     "\r\nUser-Agent: " + std::string(user_agent) +
                     "\r\nAccept: */*\r\nConnection: close\r\n";
  if (!content_type.empty() || !body.empty()) {
    text += "Content-Type: " + std::string(content_type) +
            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  text += "\r\n";
  text += body;
  return text;
}

}  // namespace cxpm
