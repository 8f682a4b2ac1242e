#pragma once
// Node.js's IPC channel, spoken from the daemon's side: a socketpair whose other end a Node app
// finds through NODE_CHANNEL_FD. In the default "json" serialization each message is one JSON
// value per line, so `process.send('ready')` arrives here as the line "ready" and
// `process.on('message')` receives what we send (the string 'shutdown', for
// shutdown_with_message). Messages whose cmd starts with NODE_ are Node's own; we never send one.

#include <uv.h>

#include <array>
#include <functional>
#include <string>

#include "cxpm/core/line_splitter.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/protocol/message.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class NodeChannel {
 public:
  using OnMessage = std::function<void(const Json& message)>;

  NodeChannel(uv_loop_t* loop, OnMessage on_message);
  // The daemon's end of a channel an app already has (adopted from an earlier daemon).
  NodeChannel(uv_loop_t* loop, OnMessage on_message, UniqueFd daemon_end);

  int app_end() const { return app_end_.get(); }
  int daemon_end() const { return daemon_end_; }
  void close_app_end() { app_end_.reset(); }
  void send(const Json& message);

 private:
  NodeChannel(uv_loop_t* loop, OnMessage on_message, std::array<UniqueFd, 2> ends);

  OnMessage on_message_;
  UniqueFd app_end_;
  int daemon_end_ = -1;  // owned by pipe_
  UvHandle<uv_pipe_t> pipe_;
  LineSplitter lines_;
  std::array<char, 16384> buffer_{};
};

}  // namespace cxpm
