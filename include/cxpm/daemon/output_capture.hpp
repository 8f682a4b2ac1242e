#pragma once
// One instance's stdout and stderr: read from pipes as they come, cut into lines, written to
// the instance's log files. At exit everything still in the pipes is read before the exit is
// reported, so the last words of a crashing app are in its log.

#include <uv.h>

#include <array>
#include <memory>
#include <string>

#include "cxpm/core/line_splitter.hpp"
#include "cxpm/daemon/log_file.hpp"
#include "cxpm/daemon/uv_handle.hpp"

namespace cxpm {

struct LogTargets {
  std::shared_ptr<LogFile> out;
  std::shared_ptr<LogFile> error;
  std::shared_ptr<LogFile> combined;
};

class OutputCapture {
 public:
  // Takes ownership of the pipes' read ends.
  OutputCapture(uv_loop_t* loop, int out_fd, int error_fd, LogTargets targets);
  ~OutputCapture();

  // Reads whatever the pipes hold right now, writes partial last lines, and stops reading.
  void drain_and_close();

 private:
  struct Stream {
    OutputCapture* owner = nullptr;
    bool is_error = false;
    UvHandle<uv_pipe_t> pipe;
    LineSplitter lines;
    bool open = false;
  };

  void start(Stream& stream, int fd);
  void consume(Stream& stream, std::string_view bytes);
  void write_batch(Stream& stream);
  void drain(Stream& stream);

  LogTargets targets_;
  std::array<Stream, 2> streams_;
  std::string batch_;
  std::array<char, 65536> buffer_{};
};

}  // namespace cxpm
