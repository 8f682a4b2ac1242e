#include "cxpm/daemon/web_bridge.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "cxpm/daemon/memory_release.hpp"

namespace cxpm {

void WebOutbox::push(WebOutput output) {
  std::lock_guard lock(mutex_);
  if (!wake_) return;
  outputs_.push_back(std::move(output));
  uv_async_send(wake_);
}

std::deque<WebOutput> WebOutbox::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(outputs_, {});
}

void WebOutbox::close() {
  std::lock_guard lock(mutex_);
  wake_ = nullptr;
  outputs_.clear();
}

bool WebOutbox::open() const {
  std::lock_guard lock(mutex_);
  return wake_ != nullptr;
}

// A web request's answer, on the supervisor's loop, on its way to the web loop. Lives in the
// bridge's table until its reply (or a cancel): followers hold it weakly (Responder), so a
// request forgotten here stops being followed.
class WebBridge::Sink : public ReplySink {
 public:
  Sink(WebBridge& bridge, WebJob job) : bridge_(bridge), job_(std::move(job)) {}

  void event(std::string data) override {
    job_.unsent->fetch_add(data.size());
    job_.outbox->push(WebOutput{job_.request, false, std::move(data), {}});
  }
  void reply(Reply reply) override {
    note_request_served();
    job_.outbox->push(WebOutput{job_.request, true, {}, std::move(reply)});
    bridge_.sinks_.erase(job_.request);  // the caller's lock() keeps this alive till it returns
  }
  std::size_t backlog() const override { return job_.unsent->load(); }

 private:
  WebBridge& bridge_;
  WebJob job_;
};

WebBridge::WebBridge(uv_loop_t* loop, RequestHandler handle, std::function<std::string()> metrics)
    : handle_(std::move(handle)), metrics_(std::move(metrics)) {
  uv_async_init(loop, wake_.get(),
                [](uv_async_t* async) { static_cast<WebBridge*>(async->data)->run_jobs(); });
  wake_.mark_initialized();
  wake_.get()->data = this;
  // A loop that has nothing else to do may end: the bridge alone must not keep it running.
  uv_unref(wake_.base());
}

WebBridge::~WebBridge() {
  sinks_.clear();
}

void WebBridge::post(WebJob job) {
  std::lock_guard lock(mutex_);
  jobs_.push_back(std::move(job));
  uv_async_send(wake_.get());
}

void WebBridge::run_jobs() {
  std::deque<WebJob> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
  }
  for (auto& job : jobs) {
    note_request_served();
    if (job.kind == WebJob::Kind::kCancel) {
      sinks_.erase(job.request);
      continue;
    }
    if (!job.outbox->open()) continue;  // from a server that has stopped since
    if (job.kind == WebJob::Kind::kMetrics) {
      std::string text;
      try {
        text = metrics_();
      } catch (const std::exception& error) {
        spdlog::error("web: the metrics failed: {}", error.what());
        job.outbox->push({job.request, true, {}, Reply{0, ErrorBody{"failed", error.what(), {}}}});
        continue;
      }
      job.outbox->push({job.request, true, {}, Reply{0, Json(std::move(text))}});
      continue;
    }
    const Request call = job.call;
    const std::uint64_t id = job.request;
    auto sink = std::make_shared<Sink>(*this, std::move(job));
    sinks_[id] = sink;
    handle_(call, Responder(std::weak_ptr<ReplySink>(sink)));
  }
}

}  // namespace cxpm
