#pragma once
// One instance's stdout and stderr: read from pipes as they come, cut into lines, written to
// the instance's log files and shown to live readers (each pipe is a CapturedStream: bytes
// leave it only once they are in the files, so a daemon killed meanwhile loses no line to a
// next daemon that gets the pipe from the keeper). At exit everything still in the pipes is
// written before the exit is reported, so the last words of a crashing app are in its log.

#include <uv.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>

#include "cxpm/daemon/captured_stream.hpp"
#include "cxpm/daemon/log_format.hpp"
#include "cxpm/daemon/log_hub.hpp"

namespace cxpm {

struct OutputSettings {
  LogTargets targets;
  LineFormat format;
  LineSource source;
};

class OutputCapture {
 public:
  // Takes ownership of the pipes' read ends.
  OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, OutputSettings settings, LogHub& hub);
  // Drains what is left, as drain_and_close without a callback.
  ~OutputCapture();

  // Takes whatever the pipes hold now, writes partial last lines, and stops reading. `done`
  // runs once all of it is in the files (or failed to be written), or after `timeout` if a
  // file is stuck (a hung network disk): the lines still follow, even once this is destroyed.
  void drain_and_close(std::chrono::milliseconds timeout, std::function<void()> done);
  // For `cxpm update`: stops taking new bytes, lets what is being written finish and leave the
  // pipes, writes a partial line held in memory as a line, closes the pipes without reading
  // more, then runs `done`. What the pipes still hold is the next daemon's, unread by this one.
  void hand_over(std::function<void()> done);

 private:
  uv_loop_t* loop_;
  std::array<std::shared_ptr<CapturedStream>, 2> streams_;
};

}  // namespace cxpm
