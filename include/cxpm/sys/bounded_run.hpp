#pragma once
// Running a helper program to completion with limits: argv (no shell), a given environment,
// stdin from /dev/null, no descriptor of ours but the pipes, a time limit and a cap on what it
// may write. The CLI evaluates JavaScript ecosystem files with node this way.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace cxpm {

struct BoundedRunOptions {
  std::string program;  // an absolute path
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=value
  std::chrono::milliseconds time_limit{10000};
  std::size_t output_limit = 8 * 1024 * 1024;  // per stream
};

struct BoundedRunResult {
  int exit_code = -1;   // -1: ended by a signal (or not ended: timed out)
  int exit_signal = 0;  // the signal that ended it, if one did
  bool timed_out = false;
  bool too_much_output = false;
  std::string result;    // what it wrote on fd 3
  std::string messages;  // its stdout and stderr, interleaved
};

// Kills the program's whole process group when it runs past the time limit or writes past
// the output limit. Throws SystemError when it cannot be started.
BoundedRunResult run_bounded(const BoundedRunOptions& options);

}  // namespace cxpm
