#include "cxpm/daemon/web_server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <stdexcept>

#include "cxpm/daemon/web_connection.hpp"

namespace cxpm {

WebServer::WebServer(WebBridge& bridge, WebServerSettings settings)
    : bridge_(bridge), token_(std::move(settings.token)), public_access_(settings.public_access) {
  // Everything is set up here, before the thread exists; from then on only the thread
  // touches the loop (the destructor only wakes it).
  uv_loop_init(&loop_);
  uv_async_init(&loop_, wake_.get(),
                [](uv_async_t* async) { static_cast<WebServer*>(async->data)->deliver(); });
  wake_.mark_initialized();
  wake_.get()->data = this;
  uv_async_init(&loop_, stop_.get(),
                [](uv_async_t* async) { static_cast<WebServer*>(async->data)->shut_down(); });
  stop_.mark_initialized();
  stop_.get()->data = this;
  outbox_ = std::make_shared<WebOutbox>(wake_.get());
  uv_tcp_init(&loop_, listener_.get());
  listener_.mark_initialized();
  listener_.get()->data = this;
  if (const int error = uv_tcp_open(listener_.get(), settings.listener.get()); error != 0) {
    throw std::runtime_error(std::string("web: ") + uv_strerror(error));
  }
  settings.listener.release();  // the handle owns it now
  const int error = uv_listen(listener_.stream(), 128, [](uv_stream_t* server, int status) {
    if (status == 0) static_cast<WebServer*>(server->data)->accept();
  });
  if (error != 0) throw std::runtime_error(std::string("web: listen: ") + uv_strerror(error));
  thread_ = std::thread([this] {
    uv_run(&loop_, UV_RUN_DEFAULT);
    // The handles shut_down closed are freed by their close callbacks, run now.
    uv_run(&loop_, UV_RUN_DEFAULT);
  });
}

WebServer::~WebServer() {
  if (thread_.joinable()) {
    uv_async_send(stop_.get());
    thread_.join();
  } else {
    shut_down();
    uv_run(&loop_, UV_RUN_DEFAULT);
  }
  uv_loop_close(&loop_);
}

void WebServer::accept() {
  auto connection = std::make_shared<WebConnection>(*this, &loop_);
  if (uv_accept(listener_.stream(), connection->stream()) != 0) return;
  connections_[connection.get()] = connection;
  connection->start();
  if (connections_.size() > kMaxConnections) connection->refuse_busy();
}

void WebServer::deliver() {
  for (auto& output : outbox_->take()) {
    const auto found = asked_.find(output.request);
    if (found == asked_.end()) continue;  // its connection went meanwhile
    auto connection = found->second.lock();
    if (output.final) asked_.erase(found);
    if (connection) connection->answered(std::move(output));
  }
}

void WebServer::shut_down() {
  outbox_->close();
  // Closing a connection cancels its request on the bridge (which lives on): its follows end.
  auto connections = std::move(connections_);
  for (auto& [pointer, connection] : connections) connection->close();
  connections.clear();
  asked_.clear();
  listener_.close();
  wake_.close();
  stop_.close();
}

void WebServer::forget(WebConnection* connection) {
  const auto found = connections_.find(connection);
  if (found == connections_.end()) return;
  const auto keep = found->second;  // closes before it is freed
  connections_.erase(found);
  keep->close();
}

std::uint64_t WebServer::ask(WebConnection* connection, WebJob job) {
  // Unique across servers: a cancel a stopped server sent late must not end a new one's.
  static std::atomic<std::uint64_t> next_request{1};
  const std::uint64_t request = next_request++;
  job.request = request;
  job.outbox = outbox_;
  asked_[request] = connections_.count(connection) ? connections_[connection] : nullptr;
  bridge_.post(std::move(job));
  return request;
}

void WebServer::cancel(std::uint64_t request) {
  if (request == 0) return;
  asked_.erase(request);
  WebJob job;
  job.kind = WebJob::Kind::kCancel;
  job.request = request;
  bridge_.post(std::move(job));
}

}  // namespace cxpm
