#pragma once
// Ownership of libuv handles: libuv frees nothing itself and a handle's memory must outlive
// uv_close's callback, so the handle is heap-allocated and deleted by that callback.

#include <uv.h>

#include <chrono>
#include <functional>
#include <string>
#include <utility>

namespace cxpm {

template <typename Handle>
class UvHandle {
 public:
  UvHandle() : handle_(new Handle{}) {}
  UvHandle(const UvHandle&) = delete;
  UvHandle& operator=(const UvHandle&) = delete;
  ~UvHandle() { close(); }

  Handle* get() const { return handle_; }
  uv_handle_t* base() const { return reinterpret_cast<uv_handle_t*>(handle_); }
  uv_stream_t* stream() const { return reinterpret_cast<uv_stream_t*>(handle_); }

  // Call after the matching uv_*_init succeeded, so close() knows to go through uv_close.
  void mark_initialized() { initialized_ = true; }

  void close() {
    if (!handle_) return;
    if (initialized_) {
      uv_close(base(), [](uv_handle_t* handle) { delete reinterpret_cast<Handle*>(handle); });
    } else {
      delete handle_;
    }
    handle_ = nullptr;
  }

 private:
  Handle* handle_;
  bool initialized_ = false;
};

// Queues `bytes` on `stream`; the string lives until libuv is done with it. Returns libuv's
// error code (0 on success).
inline int write_owned(uv_stream_t* stream, std::string bytes) {
  struct Request {
    uv_write_t write{};
    std::string bytes;
  };
  auto* request = new Request{{}, std::move(bytes)};
  request->write.data = request;
  uv_buf_t buffer = uv_buf_init(request->bytes.data(), request->bytes.size());
  const int result = uv_write(&request->write, stream, &buffer, 1, [](uv_write_t* write, int) {
    delete static_cast<Request*>(write->data);
  });
  if (result != 0) delete request;
  return result;
}

// A one-shot timer whose callback may destroy the timer's owner.
class Timer {
 public:
  explicit Timer(uv_loop_t* loop) {
    uv_timer_init(loop, handle_.get());
    handle_.mark_initialized();
    handle_.get()->data = this;
  }

  void start(std::chrono::milliseconds delay, std::function<void()> callback) {
    callback_ = std::move(callback);
    uv_timer_start(
        handle_.get(),
        [](uv_timer_t* timer) {
          auto callback = std::move(static_cast<Timer*>(timer->data)->callback_);
          callback();
        },
        static_cast<uint64_t>(delay.count()), 0);
  }

  void stop() {
    uv_timer_stop(handle_.get());
    callback_ = nullptr;
  }

  bool active() const { return uv_is_active(handle_.base()) != 0; }

  // The timer stops keeping the loop alive by itself (it still fires while the loop runs).
  void unref() { uv_unref(handle_.base()); }

 private:
  UvHandle<uv_timer_t> handle_;
  std::function<void()> callback_;
};

}  // namespace cxpm
