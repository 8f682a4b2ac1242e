#pragma once
// An append-only log file shared by every stream that writes to it (merge_logs, log_file).
//
// The disk is never touched on the loop thread: appends are queued and written in order by
// one libuv work request at a time, so a slow disk delays this file, not the daemon. The
// queue is bounded: past kHighWater bytes the file reports itself congested and its writers
// stop reading their pipes (the app then blocks on write: backpressure, nothing dropped).
// Rotation, reopening, truncation and tail reads are queued the same way, so each happens at
// a line boundary and in order with the writes around it.

#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

struct RotationSettings {
  std::uint64_t max_size = 0;  // bytes; 0: never rotate
  int retain = 5;              // rotated files kept
  bool compress = false;       // gzip rotated files
};

class LogFile : public std::enable_shared_from_this<LogFile> {
 public:
  using Done = std::function<void()>;
  using Lines = std::vector<std::string>;

  static constexpr std::size_t kHighWater = 128 * 1024;
  // Writes smaller than this wait up to kBatchDelay for more before going to the writer: a
  // chatty app's many small writes become few large ones (one thread hand-off each).
  static constexpr std::size_t kBatchBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kBatchDelay{2};
  // A tail read stops after this many bytes from the end, however few lines it found.
  static constexpr std::size_t kMaxTailBytes = 8 * 1024 * 1024;

  // Create through LogFiles (a LogFile must be owned by a shared_ptr).
  LogFile(uv_loop_t* loop, std::string path, RotationSettings rotation);

  const std::string& path() const { return path_; }

  // Queues whole lines, newlines included.
  void append(std::string_view bytes);
  bool congested() const { return queued_bytes_ >= kHighWater; }
  // Runs `done` once the file is no longer congested (at once if it is not).
  void when_uncongested(Done done);
  // Runs `done` once everything queued so far is written (or failed to be).
  void when_written(Done done);
  // For an external logrotate (reloadLogs, SIGUSR1): close and open the path again.
  void reopen(Done done = {});
  // Empties the file (flush).
  void truncate(Done done = {});
  // The last `count` lines written so far, continuing into the previous rotation when the
  // current file holds fewer.
  void tail(std::size_t count, std::function<void(Lines)> done);

 private:
  struct Op {
    enum class Kind { kWrite, kReopen, kTruncate, kTail, kNotify };
    Kind kind;
    std::string bytes;      // kWrite
    std::size_t lines = 0;  // kTail
    Lines tail;             // kTail's result
    Done done;
    std::function<void(Lines)> on_tail;
  };
  struct Job;

  Op& push(Op::Kind kind);
  void schedule();
  void finish(Job& job);
  // The rest run on a worker thread, for one job at a time.
  void run(Job& job);
  void write_lines(std::string_view bytes, Job& job);
  void write_all(std::string_view bytes);
  void open_file();
  void rotate(Job& job);
  void delete_old_rotations() const;
  Lines read_tail(std::size_t count) const;

  uv_loop_t* loop_;
  const std::string path_;
  const RotationSettings rotation_;

  // Loop thread only.
  std::deque<Op> ops_;
  std::size_t queued_bytes_ = 0;  // queued or being written
  bool busy_ = false;             // a job is running
  Timer batch_timer_;
  bool batch_waiting_ = false;    // batch_timer_ runs
  std::vector<Done> uncongested_waiters_;
  std::string spare_;  // a written buffer kept for the next appends

  // The running job's while busy_; nobody touches them otherwise.
  UniqueFd fd_;
  std::uint64_t size_ = 0;
  bool open_failing_ = false;
  bool write_failing_ = false;
  bool rotatable_ = false;  // a regular file
  std::string previous_rotation_;
};

// Hands out one LogFile per path, so instances that share a file share its queue.
class LogFiles {
 public:
  explicit LogFiles(uv_loop_t* loop) : loop_(loop) {}

  // nullptr for "" and /dev/null (the file is disabled). The settings of the first opener win.
  std::shared_ptr<LogFile> open(const std::string& path, const RotationSettings& rotation);
  // Every file some stream still writes to.
  std::vector<std::shared_ptr<LogFile>> open_files();

 private:
  uv_loop_t* loop_;
  std::map<std::string, std::weak_ptr<LogFile>> files_;
};

// Compresses a rotated file to `path`.gz off the loop thread, then deletes `path`.
void compress_rotated_file(uv_loop_t* loop, std::string path);

}  // namespace cxpm
