#pragma once
// An append-only log file shared by every stream that writes to it (merge_logs, log_file).
//
// The disk is never touched on the loop thread: appends are queued and written in order by
// one libuv work request at a time, so a slow disk delays this file, not the daemon. The
// queue is bounded: past kHighWater bytes the file reports itself congested and its writers
// stop reading their pipes (the app then blocks on write: backpressure, nothing dropped).
// Rotation, reopening, truncation and tail reads are queued the same way, so each happens at
// a line boundary and in order with the writes around it. What they do on the disk, and how
// files are opened safely under a root daemon, is LogWriter's (log_writer.hpp).

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/daemon/log_writer.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

class LogFile;

// Told when the bytes of one append are in the file (or failed to be written: a full disk's
// lines are dropped, and counted, by LogWriter). OutputCapture takes bytes out of an app's
// pipe only then.
class AppendReceipt {
 public:
  virtual ~AppendReceipt() = default;
  // On the worker thread, right after the write: no loop iteration between the two.
  virtual void written() = 0;
  // On the loop thread, after written().
  virtual void settled() = 0;
};

// Every file's short wait for more bytes (LogFile::kBatchDelay) on one timer: a timer per
// file would cost every idle app two uv handles.
class BatchTimer {
 public:
  explicit BatchTimer(uv_loop_t* loop) : timer_(loop) {}
  // Schedules `file`'s queued writes within kBatchDelay, unless it schedules them first.
  void add(const std::shared_ptr<LogFile>& file);

 private:
  Timer timer_;
  std::vector<std::weak_ptr<LogFile>> waiting_;
};

class LogFile : public std::enable_shared_from_this<LogFile> {
 public:
  using Done = std::function<void()>;
  // With the error, or "" when it went well.
  using Finished = std::function<void(const std::string& error)>;
  using Lines = std::vector<std::string>;

  static constexpr std::size_t kHighWater = 128 * 1024;
  // Writes smaller than this wait up to kBatchDelay for more before going to the writer: a
  // chatty app's many small writes become few large ones (one thread hand-off each). An
  // append with a receipt goes at once (its writer waits for it before reading more).
  static constexpr std::size_t kBatchBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kBatchDelay{2};
  // Create through LogFiles (a LogFile must be owned by a shared_ptr). `app_user` is whom
  // the file is opened as where someone other than the daemon may write its directory.
  LogFile(uv_loop_t* loop, std::shared_ptr<BatchTimer> batch_timer, std::string path,
          RotationSettings rotation, std::optional<FileUser> app_user,
          DroppedLinesCount dropped_total = {});

  const std::string& path() const { return writer_.path(); }

  // Queues whole lines, newlines included; `receipt`, if any, is told once they are written.
  void append(std::string_view bytes, std::shared_ptr<AppendReceipt> receipt = nullptr);
  bool congested() const { return queued_bytes_ >= kHighWater; }
  // Runs `done` once the file is no longer congested (at once if it is not).
  void when_uncongested(Done done);
  // Runs `done` once everything queued so far is written (or failed to be).
  void when_written(Done done);
  // For an external logrotate (reloadLogs, SIGUSR1): close and open the path again.
  void reopen(Finished done = {});
  // Rotates the file now, at a line boundary, unless it is empty (rotate_interval).
  void rotate();
  // Empties the file (flush).
  void truncate(Finished done = {});
  // The last `count` lines written so far, continuing into the previous rotation when the
  // current file holds fewer.
  void tail(std::size_t count, std::function<void(Lines)> done);

 private:
  struct Op {
    enum class Kind { kWrite, kReopen, kTruncate, kRotate, kTail, kNotify };
    Kind kind;
    std::string bytes;                                     // kWrite
    std::vector<std::shared_ptr<AppendReceipt>> receipts;  // kWrite's appends that asked
    std::size_t lines = 0;                                 // kTail
    Lines tail;                                            // kTail's result
    std::string error;                                     // kReopen's, kTruncate's
    Done done;
    Finished finished;
    std::function<void(Lines)> on_tail;
  };
  struct Job;
  friend class BatchTimer;

  void schedule();
  void finish(Job& job);
  // On a worker thread, for one job at a time.
  void run(Job& job);

  uv_loop_t* loop_;
  std::shared_ptr<BatchTimer> batch_timer_;

  // Loop thread only. A vector, not a deque: an empty deque still holds a 512-byte block.
  std::vector<Op> ops_;
  std::size_t queued_bytes_ = 0;  // queued or being written
  bool busy_ = false;             // a job is running
  bool batch_waiting_ = false;    // in batch_timer_'s list
  std::vector<Done> uncongested_waiters_;
  std::string spare_;  // a written buffer kept for the next appends while writes go on

  // The running job's while busy_; nobody touches it otherwise.
  LogWriter writer_;
};

// Hands out one LogFile per path, so instances that share a file share its queue.
class LogFiles {
 public:
  explicit LogFiles(uv_loop_t* loop)
      : loop_(loop), batch_timer_(std::make_shared<BatchTimer>(loop)) {}

  // nullptr for "" and /dev/null (the file is disabled). The settings of the first opener win.
  std::shared_ptr<LogFile> open(const std::string& path, const RotationSettings& rotation,
                                const std::optional<FileUser>& app_user = {});
  // The open file at `path`, or nullptr.
  std::shared_ptr<LogFile> find(const std::string& path) const;
  // Every file some stream still writes to.
  std::vector<std::shared_ptr<LogFile>> open_files();
  // Lines the files could not keep (a full disk, say), in all, since the daemon started.
  std::uint64_t dropped_lines() const { return dropped_->load(std::memory_order_relaxed); }

 private:
  uv_loop_t* loop_;
  std::shared_ptr<BatchTimer> batch_timer_;
  std::map<std::string, std::weak_ptr<LogFile>> files_;
  DroppedLinesCount dropped_ = std::make_shared<std::atomic<std::uint64_t>>(0);
};

// Compresses a rotated file to its name + ".gz" off the loop thread, then deletes it.
void compress_rotated_file(uv_loop_t* loop, RotatedFile file);

}  // namespace cxpm
