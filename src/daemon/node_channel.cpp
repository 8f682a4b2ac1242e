#include "cxpm/daemon/node_channel.hpp"

#include <sys/socket.h>

#include "cxpm/sys/error.hpp"

namespace cxpm {
NodeChannel::NodeChannel(uv_loop_t* loop, OnMessage on_message)
    : on_message_(std::move(on_message)) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw_system_error("socketpair for the Node IPC channel");
  }
  app_end_.reset(pair[1]);
  uv_pipe_init(loop, pipe_.get(), 0);
  pipe_.mark_initialized();
  pipe_.get()->data = this;
  uv_pipe_open(pipe_.get(), pair[0]);
  uv_read_start(
      pipe_.stream(),
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* self = static_cast<NodeChannel*>(handle->data);
        *buf = uv_buf_init(self->buffer_.data(), self->buffer_.size());
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        auto* self = static_cast<NodeChannel*>(stream->data);
        if (nread < 0) {
          uv_read_stop(stream);
          return;
        }
        self->lines_.feed({buf->base, static_cast<std::size_t>(nread)},
                          [self](std::string_view line) {
                            Json message = Json::parse(line, nullptr, false);
                            if (!message.is_discarded()) self->on_message_(message);
                          });
      });
}

void NodeChannel::send(const Json& message) {
  write_owned(pipe_.stream(), message.dump() + "\n");
}

int NodeChannel::daemon_end() const {
  uv_os_fd_t fd = -1;
  uv_fileno(pipe_.base(), &fd);
  return fd;
}

}  // namespace cxpm
