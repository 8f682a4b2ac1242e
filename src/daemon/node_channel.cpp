#include "cxpm/daemon/node_channel.hpp"

#include <sys/socket.h>

#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

std::array<UniqueFd, 2> channel_pair() {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw_system_error("socketpair for the Node IPC channel");
  }
  return {UniqueFd(pair[0]), UniqueFd(pair[1])};
}

}  // namespace

NodeChannel::NodeChannel(uv_loop_t* loop, OnMessage on_message)
    : NodeChannel(loop, std::move(on_message), channel_pair()) {}

NodeChannel::NodeChannel(uv_loop_t* loop, OnMessage on_message, UniqueFd daemon_end)
    : NodeChannel(loop, std::move(on_message), {std::move(daemon_end), UniqueFd()}) {}

NodeChannel::NodeChannel(uv_loop_t* loop, OnMessage on_message, std::array<UniqueFd, 2> ends)
    : on_message_(std::move(on_message)) {
  app_end_ = std::move(ends[1]);
  daemon_end_ = ends[0].release();  // the uv pipe owns it from here
  uv_pipe_init(loop, pipe_.get(), 0);
  pipe_.mark_initialized();
  pipe_.get()->data = this;
  uv_pipe_open(pipe_.get(), daemon_end_);
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

}  // namespace cxpm
