#include "cxpm/daemon/health_probe.hpp"

#include <http_parser.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstring>
#include <memory>

#include "cxpm/core/signal_names.hpp"
#include "cxpm/daemon/supervisor.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {
namespace {

// A response's head larger than this is not a health endpoint's answer.
constexpr std::size_t kMaxResponseHead = 64 * 1024;

std::string uv_text(int code) {
  return uv_strerror(code);
}

// A tcp connect, and for http a request and the response's status line and headers. Owns
// itself: deleted once its handles are closed (and a name lookup under way has come back).
class NetProbe {
 public:
  NetProbe(uv_loop_t* loop, std::string host, int port, ProbeDone done)
      : loop_(loop), host_(std::move(host)), port_(port), done_(std::move(done)) {
    uv_timer_init(loop_, &timer_);
    uv_handle_set_data(handle(&timer_), this);
    uv_unref(handle(&timer_));
    uv_tcp_init(loop_, &tcp_);
    uv_handle_set_data(handle(&tcp_), this);
    handles_open_ = 2;
  }

  void as_http(std::string request, StatusRange pass) {
    request_ = std::move(request);
    pass_ = pass;
    http_ = true;
    http_parser_init(&parser_, HTTP_RESPONSE);
    parser_.data = this;
    http_parser_settings_init(&settings_);
    settings_.on_headers_complete = [](http_parser* parser) {
      static_cast<NetProbe*>(parser->data)->headers_done_ = true;
      return 1;  // the status is all a check needs: skip the body
    };
  }

  void start(Milliseconds timeout) {
    uv_timer_start(
        &timer_,
        [](uv_timer_t* timer) {
          auto* self = static_cast<NetProbe*>(uv_handle_get_data(handle(timer)));
          self->finish("no answer within health_timeout " + std::to_string(self->timeout_.count()) +
                       " ms");
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
          auto* self = static_cast<NetProbe*>(request->data);
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
          auto* self = static_cast<NetProbe*>(request->data);
          if (status != 0) return self->finish("connect " + self->where() + ": " + uv_text(status));
          if (!self->http_) return self->finish(std::nullopt);
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
                   auto* self = static_cast<NetProbe*>(request->data);
                   if (status != 0 && status != UV_ECANCELED) {
                     self->finish("send to " + self->where() + ": " + uv_text(status));
                   }
                 });
    if (result != 0) return finish("send to " + where() + ": " + uv_text(result));
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t* handle, std::size_t, uv_buf_t* buffer) {
          auto* self = static_cast<NetProbe*>(uv_handle_get_data(handle));
          *buffer = uv_buf_init(self->buffer_, sizeof self->buffer_);
        },
        [](uv_stream_t* stream, ssize_t read, const uv_buf_t* buffer) {
          auto* self = static_cast<NetProbe*>(uv_handle_get_data(handle(stream)));
          self->on_read(read, buffer->base);
        });
  }

  void on_read(ssize_t read, const char* bytes) {
    if (finished_ || read == 0) return;
    if (read < 0) {
      // EOF: http-parser hears it as a zero-length execute and may then complete.
      if (read == UV_EOF) http_parser_execute(&parser_, &settings_, nullptr, 0);
      if (headers_done_) return judge();
      return finish(read == UV_EOF
                        ? "the connection to " + where() + " closed before a response"
                        : "read from " + where() + ": " + uv_text(static_cast<int>(read)));
    }
    received_ += static_cast<std::size_t>(read);
    http_parser_execute(&parser_, &settings_, bytes, static_cast<std::size_t>(read));
    if (headers_done_) return judge();
    if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK) {
      return finish(std::string("not an HTTP response from ") + where() + ": " +
                    http_errno_description(HTTP_PARSER_ERRNO(&parser_)));
    }
    if (received_ > kMaxResponseHead) {
      finish("the response's head from " + where() + " is over 64 KiB");
    }
  }

  void judge() {
    const int status = static_cast<int>(parser_.status_code);
    if (pass_.contains(status)) return finish(std::nullopt);
    finish("status " + std::to_string(status) + " (health_status passes " +
           std::to_string(pass_.low) + "-" + std::to_string(pass_.high) + ")");
  }

  void finish(std::optional<std::string> error) {
    if (finished_) return;
    finished_ = true;
    auto done = std::move(done_);
    uv_timer_stop(&timer_);
    if (resolving_) uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_));
    const auto closed = [](uv_handle_t* handle) {
      auto* self = static_cast<NetProbe*>(uv_handle_get_data(handle));
      --self->handles_open_;
      self->delete_when_done();
    };
    uv_close(handle(&timer_), closed);
    uv_close(handle(&tcp_), closed);
    done(std::move(error));
  }

  void delete_when_done() {
    if (handles_open_ == 0 && !resolving_) delete this;
  }

  uv_loop_t* loop_;
  std::string host_;
  int port_;
  ProbeDone done_;
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
  StatusRange pass_;
  http_parser parser_{};
  http_parser_settings settings_{};
  bool headers_done_ = false;
  std::size_t received_ = 0;
  char buffer_[4096];
};

std::string describe_wait_status(int wait_status) {
  if (WIFSIGNALED(wait_status)) return "killed by " + signal_name(WTERMSIG(wait_status));
  return "exited with code " + std::to_string(WEXITSTATUS(wait_status));
}

}  // namespace

void probe_tcp(uv_loop_t* loop, const HostPort& address, Milliseconds timeout, ProbeDone done) {
  (new NetProbe(loop, address.host, address.port, std::move(done)))->start(timeout);
}

void probe_http(uv_loop_t* loop, const HttpTarget& target, StatusRange pass, Milliseconds timeout,
                ProbeDone done) {
  auto* probe = new NetProbe(loop, target.host, target.port, std::move(done));
  const bool v6 = target.host.find(':') != std::string::npos;
  const std::string host =
      (v6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
  probe->as_http("GET " + target.path + " HTTP/1.1\r\nHost: " + host +
                     "\r\nUser-Agent: cxpm-health-check\r\nAccept: */*\r\n"
                     "Connection: close\r\n\r\n",
                 pass);
  probe->start(timeout);
}

void probe_exec(Supervisor& supervisor, SpawnOptions options, Milliseconds timeout,
                ProbeDone done) {
  const SpawnResult spawned = spawn_process(options);
  if (!spawned.ok()) return done("health_exec: " + spawned.error);
  // The timer and the exit share one state: whichever comes first decides. A daemon that
  // stops with the command still running kills it as it forgets it.
  struct Run {
    explicit Run(uv_loop_t* loop) : timer(loop) { timer.unref(); }
    ~Run() {
      if (!exited) ::kill(-pid, SIGKILL);
    }
    Timer timer;
    ProbeDone done;
    pid_t pid = 0;
    bool timed_out = false;
    bool exited = false;
  };
  auto run = std::make_shared<Run>(supervisor.loop());
  run->done = std::move(done);
  run->pid = spawned.pid;
  run->timer.start(timeout, [state = run.get()] {
    state->timed_out = true;
    ::kill(-state->pid, SIGKILL);  // its own session: the command and what it started
  });
  supervisor.watch_helper(spawned.pid, [run, timeout](int wait_status) {
    run->exited = true;
    run->timer.stop();
    if (run->timed_out) {
      return run->done("health_exec: killed after health_timeout " +
                       std::to_string(timeout.count()) + " ms");
    }
    if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return run->done(std::nullopt);
    run->done("health_exec: " + describe_wait_status(wait_status));
  });
}

}  // namespace cxpm
