#include "cxpm/daemon/log_file.hpp"

#include <algorithm>

namespace cxpm {

struct LogFile::Job {
  uv_work_t request{};
  std::shared_ptr<LogFile> file;  // alive until the job is done, even if every writer left
  std::vector<Op> ops;
  std::size_t bytes = 0;
  std::vector<RotatedFile> rotated;  // to compress once the job is done
};

namespace {

// A buffer kept for the next appends while a chatty app's writes go on; an idle file keeps
// none, since every idle app would pay for it.
constexpr std::size_t kSpareKept = 64 * 1024;

}  // namespace

void BatchTimer::add(const std::shared_ptr<LogFile>& file) {
  waiting_.push_back(file);
  if (timer_.active()) return;
  timer_.start(LogFile::kBatchDelay, [this] {
    auto waiting = std::move(waiting_);
    waiting_ = {};
    for (const auto& entry : waiting) {
      auto file = entry.lock();
      if (!file || !file->batch_waiting_) continue;  // gone, or scheduled meanwhile
      file->batch_waiting_ = false;
      if (!file->busy_ && !file->ops_.empty()) file->schedule();
    }
  });
}

LogFile::LogFile(uv_loop_t* loop, std::shared_ptr<BatchTimer> batch_timer, std::string path,
                 RotationSettings rotation, std::optional<FileUser> app_user,
                 DroppedLinesCount dropped_total)
    : loop_(loop),
      batch_timer_(std::move(batch_timer)),
      writer_(std::move(path), rotation, app_user, std::move(dropped_total)) {}

void LogFile::append(std::string_view bytes, std::shared_ptr<AppendReceipt> receipt) {
  if (bytes.empty() && !receipt) return;
  if (ops_.empty() || ops_.back().kind != Op::Kind::kWrite) {
    Op op{Op::Kind::kWrite};
    op.bytes.swap(spare_);
    ops_.push_back(std::move(op));
  }
  ops_.back().bytes.append(bytes);
  if (receipt) ops_.back().receipts.push_back(std::move(receipt));
  queued_bytes_ += bytes.size();
  if (busy_) return;  // finish() schedules what queued meanwhile
  // A writer waiting for its receipt sends nothing more until it has it: waiting for more
  // would only delay it.
  if (ops_.back().bytes.size() >= kBatchBytes || !ops_.back().receipts.empty()) return schedule();
  if (batch_waiting_) return;
  batch_waiting_ = true;
  batch_timer_->add(shared_from_this());
}

void LogFile::when_uncongested(Done done) {
  if (!congested()) return done();
  uncongested_waiters_.push_back(std::move(done));
}

void LogFile::when_written(Done done) {
  if (!busy_ && ops_.empty()) return done();
  ops_.push_back(Op{Op::Kind::kNotify});
  ops_.back().done = std::move(done);
  if (!busy_) schedule();
}

void LogFile::reopen(Finished done) {
  ops_.push_back(Op{Op::Kind::kReopen});
  ops_.back().finished = std::move(done);
  if (!busy_) schedule();
}

void LogFile::truncate(Finished done) {
  ops_.push_back(Op{Op::Kind::kTruncate});
  ops_.back().finished = std::move(done);
  if (!busy_) schedule();
}

void LogFile::rotate() {
  ops_.push_back(Op{Op::Kind::kRotate});
  if (!busy_) schedule();
}

void LogFile::tail(std::size_t count, std::function<void(Lines)> done) {
  ops_.push_back(Op{Op::Kind::kTail});
  ops_.back().lines = count;
  ops_.back().on_tail = std::move(done);
  if (!busy_) schedule();
}

void LogFile::schedule() {
  batch_waiting_ = false;  // the batch timer skips this file now
  auto job = std::make_unique<Job>();
  job->file = shared_from_this();
  job->ops.swap(ops_);
  for (const auto& op : job->ops) job->bytes += op.bytes.size();
  job->request.data = job.get();
  busy_ = true;
  uv_queue_work(
      loop_, &job->request,
      [](uv_work_t* request) {
        auto* job = static_cast<Job*>(request->data);
        job->file->run(*job);
      },
      [](uv_work_t* request, int) {
        std::unique_ptr<Job> job(static_cast<Job*>(request->data));
        job->file->finish(*job);
      });
  job.release();  // owned by the work request until its callback
}

void LogFile::finish(Job& job) {
  busy_ = false;
  queued_bytes_ -= job.bytes;
  for (auto& file : job.rotated) compress_rotated_file(loop_, std::move(file));
  for (auto& op : job.ops) {
    if (op.kind == Op::Kind::kWrite && op.bytes.capacity() > spare_.capacity()) {
      op.bytes.clear();
      spare_.swap(op.bytes);
    }
    for (auto& receipt : op.receipts) receipt->settled();
    if (op.on_tail) op.on_tail(std::move(op.tail));
    if (op.finished) op.finished(op.error);
    if (op.done) op.done();
  }
  if (!busy_ && !ops_.empty()) schedule();
  if (!busy_ || spare_.capacity() > kSpareKept) spare_ = std::string();
  if (!congested() && !uncongested_waiters_.empty()) {
    auto waiters = std::move(uncongested_waiters_);
    uncongested_waiters_.clear();
    for (auto& waiter : waiters) waiter();
  }
}

// ---- On a worker thread, one job at a time per file.

void LogFile::run(Job& job) {
  for (auto& op : job.ops) {
    switch (op.kind) {
      case Op::Kind::kWrite:
        writer_.write(op.bytes, job.rotated);
        for (auto& receipt : op.receipts) receipt->written();
        break;
      case Op::Kind::kReopen:
        op.error = writer_.reopen();
        break;
      case Op::Kind::kTruncate:
        op.error = writer_.truncate();
        break;
      case Op::Kind::kRotate:
        writer_.rotate_now(job.rotated);
        break;
      case Op::Kind::kTail:
        op.tail = writer_.tail(op.lines);
        break;
      case Op::Kind::kNotify:
        break;
    }
  }
}

// ----

std::shared_ptr<LogFile> LogFiles::open(const std::string& path, const RotationSettings& rotation,
                                        const std::optional<FileUser>& app_user) {
  if (path.empty() || path == "/dev/null") return nullptr;
  std::erase_if(files_, [](const auto& entry) { return entry.second.expired(); });
  auto& slot = files_[path];
  if (auto existing = slot.lock()) return existing;
  auto file = std::make_shared<LogFile>(loop_, batch_timer_, path, rotation, app_user, dropped_);
  file->reopen();  // the file exists from the start, as with pm2, for `tail -f` and friends
  slot = file;
  return file;
}

std::shared_ptr<LogFile> LogFiles::find(const std::string& path) const {
  const auto found = files_.find(path);
  return found == files_.end() ? nullptr : found->second.lock();
}

std::vector<std::shared_ptr<LogFile>> LogFiles::open_files() {
  std::vector<std::shared_ptr<LogFile>> out;
  for (auto it = files_.begin(); it != files_.end();) {
    if (auto file = it->second.lock()) {
      out.push_back(std::move(file));
      ++it;
    } else {
      it = files_.erase(it);
    }
  }
  return out;
}

}  // namespace cxpm
