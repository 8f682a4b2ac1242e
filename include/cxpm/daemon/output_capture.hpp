#pragma once
// One instance's stdout and stderr: read from pipes as they come, cut into lines, written to
// the instance's log files and shown to live readers. At exit everything still in the pipes
// is read before the exit is reported, so the last words of a crashing app are in its log.
//
// Backpressure: while a file it writes to is congested (the disk is slower than the app), a
// stream stops reading its pipe; the app then blocks on write instead of output being dropped
// or piling up in the daemon.
//
// A chatty stream (one that writes fast) gets a 1 MiB pipe and rests a moment after each
// read: the app's writes then land in the pipe without waking the daemon each time, and the
// daemon reads them in large pieces. Its lines reach the files at most kRest later.

#include <uv.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "cxpm/core/line_splitter.hpp"
#include "cxpm/daemon/log_file.hpp"
#include "cxpm/daemon/log_format.hpp"
#include "cxpm/daemon/log_hub.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

struct LogTargets {
  std::shared_ptr<LogFile> out;
  std::shared_ptr<LogFile> error;
  std::shared_ptr<LogFile> combined;
};

struct OutputSettings {
  LogTargets targets;
  LineFormat format;
  LineSource source;
};

class OutputCapture {
 public:
  // Takes ownership of the pipes' read ends.
  OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, OutputSettings settings, LogHub& hub);
  ~OutputCapture();

  // Reads whatever the pipes hold right now, writes partial last lines, and stops reading.
  void drain_and_close();
  // Runs `done` once every line captured so far is in the files (or failed to be written),
  // or after `timeout` if a file is stuck (a hung network disk): the lines still follow.
  void when_written(std::chrono::milliseconds timeout, std::function<void()> done) const;

 private:
  struct Stream {
    OutputCapture* owner = nullptr;
    bool is_error = false;
    UvHandle<uv_pipe_t> pipe;
    LineSplitter lines;
    LineFormatter formatter;
    bool open = false;
    bool paused = false;                // a file is congested
    bool chatty = false;                // its pipe was grown: it rests after each read
    bool cannot_grow = false;           // growing was refused (the user's pipe budget)
    std::uint64_t window_start_ms = 0;  // loop time the current rate window began
    std::size_t window_bytes = 0;       // read within it
    bool resting = false;               // waits for rest_timer_
  };

  void start(Stream& stream, int fd);
  void read_start(Stream& stream);
  void resume(Stream& stream);
  void pause_if_congested(Stream& stream);
  // Makes a stream chatty once it reads fast enough and its pipe could grow.
  void notice_rate(Stream& stream, std::size_t read_bytes);
  void rest(Stream& stream);
  // Formats, writes and publishes the lines in `bytes` (flushing a partial line at the end).
  void consume(Stream& stream, std::string_view bytes, bool at_end);
  void drain(Stream& stream);

  uv_loop_t* loop_;
  LogTargets targets_;
  LineSource source_;
  LogHub& hub_;
  std::array<Stream, 2> streams_;
  // Lines formatted from one read; every capture shares one buffer (all read on the loop
  // thread, one read at a time), so no idle app keeps one of its own.
  std::string& batch_;
  // Made when a stream first turns chatty (most never do), and shared by both streams.
  std::unique_ptr<Timer> rest_timer_;
  // Callbacks from files hold this weakly: they do nothing once the capture is gone.
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace cxpm
