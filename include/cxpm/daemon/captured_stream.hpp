#pragma once
// One of an instance's output pipes (stdout or stderr), captured so that bytes leave the pipe
// only once they are in the log files. Another process (the keeper) holds a copy of the
// pipe's read end: if this daemon dies, whatever it had not written yet is still in the pipe
// and the next daemon reads it, and nothing it wrote is read again.
//
// A round: peek at the pipe's head (tee into a private pipe, which takes nothing out), cut the
// complete lines, hand them to the files, and once every file has written them take exactly
// those bytes out of the pipe — on the worker thread, right after the last write. While a round
// is in flight the stream does not peek again. Bytes after the last newline stay in the pipe;
// a partial line that has waited kHoldAfter without its newline (an app that prints a prompt,
// or stops mid-line) is taken into memory instead, so that it does not wake the loop forever:
// such a line is the only thing a kill -9 can lose. A line longer than a peek is held the same
// way at once.
//
// Backpressure: while a file is congested the stream stops peeking (the app blocks on
// write). A chatty stream (about 1 MB/s and up) gets a 1 MiB pipe and rests kRest between
// rounds, so that it is read in large pieces.

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cxpm/core/line_splitter.hpp"
#include "cxpm/daemon/log_file.hpp"
#include "cxpm/daemon/log_format.hpp"
#include "cxpm/daemon/log_hub.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

// Makes the one private pipe every stream peeks through, at the daemon's start: made later,
// by a daemon out of descriptors (EMFILE), it would fail in the middle of a drain.
void prepare_pipe_peek();

struct LogTargets {
  std::shared_ptr<LogFile> out;
  std::shared_ptr<LogFile> error;
  std::shared_ptr<LogFile> combined;
};

class CapturedStream : public std::enable_shared_from_this<CapturedStream> {
 public:
  using Done = std::function<void()>;
  struct Settings {
    bool is_error = false;
    std::shared_ptr<LogFile> file;      // the stream's own file (out or error), or none
    std::shared_ptr<LogFile> combined;  // the instance's combined file, or none
    LineFormat format;
    LineSource source;
  };

  // A partial line waits this long for its newline in the pipe before it is held in memory,
  // and meanwhile the pipe is looked at every kPartialCheck (nothing else wakes us for it: a
  // pipe that holds bytes is always readable).
  static constexpr std::chrono::milliseconds kHoldAfter{100};
  static constexpr std::chrono::milliseconds kPartialCheck{2};

  // Takes ownership of `fd`, the pipe's read end. Call start() next (needs shared ownership).
  CapturedStream(uv_loop_t* loop, UniqueFd fd, Settings settings, LogHub& hub);
  ~CapturedStream();
  void start();

  // Takes what the pipe holds now (at most a bounded amount), writes the partial last line as
  // a line, and closes; `done` once all of it is written. Works on after the owner is gone.
  void drain(Done done);
  // Stops taking new bytes; once the round in flight is written and taken out of the pipe (and
  // a partial line held in memory is written as a line), closes without reading more and runs
  // `done`. What is left in the pipe is the next daemon's.
  void hand_over(Done done);

  // For the round in flight (AppendReceipt): its bytes are written by every file.
  void settled();

 private:
  enum class Mode { kRunning, kDraining, kHandingOver, kClosed };

  void poll_start();
  void poll_stop();
  void on_readable(bool hung_up);
  // What to do when no round is in flight.
  void next();
  void round();
  void drain_round();
  // Formats and writes `lines` (whole lines, and the held partial flushed if `flush`), publishes
  // them to live readers, and takes `taken` bytes out of the pipe once they are written.
  void take(std::string_view lines, std::size_t taken, bool flush);
  void wait_for_newline(std::size_t seen);
  bool congested() const;
  void notice_rate(std::size_t bytes);
  // A second drain or hand_over (or a drain after a hand_over) changes nothing but waits too.
  void also_when_done(Done done);
  void close();
  void finish(Done& done);

  uv_loop_t* loop_;
  UniqueFd fd_;
  Settings settings_;
  LogHub& hub_;
  LineSplitter lines_;  // holds a partial line taken into memory
  LineFormatter formatter_;
  UvHandle<uv_poll_t> poll_;
  std::unique_ptr<Timer> wait_timer_;  // made on first use: most streams never wait
  Mode mode_ = Mode::kRunning;
  bool polling_ = false;
  bool in_flight_ = false;
  bool paused_ = false;                 // a file is congested
  bool ended_ = false;                  // the app's end of the pipe is closed and it is empty
  bool hung_up_ = false;                // no writer left: a partial line is the last one
  std::uint64_t partial_since_ms_ = 0;  // loop time a partial line began waiting, or 0
  bool chatty_ = false;
  bool cannot_grow_ = false;
  std::uint64_t window_start_ms_ = 0;
  std::size_t window_bytes_ = 0;
  std::size_t drained_bytes_ = 0;
  Done done_;  // drain's or hand_over's
};

}  // namespace cxpm
