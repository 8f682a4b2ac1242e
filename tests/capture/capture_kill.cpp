// The capture's promise under its own death: bytes leave an app's pipe only once they are in
// the log file. A writer process sends numbered lines into a pipe whose read end this test
// holds (standing in for the keeper); a capture process (OutputCapture on a libuv loop, as in
// the daemon) reads it into a log file and is killed with SIGKILL at random moments, then
// started again on the same pipe, many times. At the end every number is in the file exactly
// once, in order.
//
//   capture_kill_test [--kills N] [--lines N] [--combined] [--hand-over] [--seed N]
//
// --hand-over stops each capture with OutputCapture::hand_over (as `cxpm update` does)
// instead of SIGKILL: then not even a round may be written twice.
//
// A kill inside a round's write-then-consume window (the write(2) itself, then one splice)
// writes that round twice: the test counts those repeats and reports them; it fails on any
// line lost, any line out of order, or more repeats than kills. --combined also writes every
// line to a second file, as `log_file` does (the round leaves the pipe once both have it).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cxpm/core/parse_number.hpp"
#include "cxpm/daemon/log_hub.hpp"
#include "cxpm/daemon/output_capture.hpp"

namespace {

using namespace std::chrono_literals;

struct Options {
  int kills = 200;
  long lines = 200000;
  bool combined = false;
  bool hand_over = false;
  unsigned seed = std::random_device{}();
};

[[noreturn]] void die(const std::string& what) {
  std::perror(what.c_str());
  std::_Exit(2);
}

// Writes "N\n" for N in [0, lines), cut into writes at arbitrary bytes (as stdio does), with a
// short pause now and then; a line cut across two writes is finished within a millisecond.
[[noreturn]] void run_writer(int fd, long lines, unsigned seed) {
  std::mt19937 random(seed);
  std::string pending;
  long next = 0;
  while (next < lines || !pending.empty()) {
    while (pending.size() < 8192 && next < lines) pending += std::to_string(next++) + "\n";
    const std::size_t size = std::min<std::size_t>(pending.size(), 1 + random() % 6000);
    std::size_t done = 0;
    while (done < size) {
      const ssize_t wrote = ::write(fd, pending.data() + done, size - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0) die("writer: write");
      done += static_cast<std::size_t>(wrote);
    }
    pending.erase(0, size);
    if (random() % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(random() % 1000));
  }
  std::_Exit(0);
}

// SIGTERM (drain and exit) and SIGUSR1 (hand over and exit).
const sigset_t& stop_signals() {
  static const sigset_t set = [] {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    return signals;
  }();
  return set;
}

// The capture, as the daemon runs it, until SIGKILL; on SIGTERM it drains and exits, on
// SIGUSR1 it hands over and exits.
[[noreturn]] void run_capture(int out_fd, const std::string& out_path,
                              const std::string& combined_path) {
  uv_loop_t* loop = uv_default_loop();
  cxpm::LogHub hub(loop);
  cxpm::OutputSettings settings;
  settings.targets.out = hub.files().open(out_path, {});
  if (!combined_path.empty()) settings.targets.combined = hub.files().open(combined_path, {});
  settings.source = cxpm::LineSource{"numbers", 0, 0};
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) die("capture: pipe");
  ::close(error_pipe[1]);  // stderr: nothing, at its end at once
  auto capture =
      std::make_unique<cxpm::OutputCapture>(loop, out_fd, error_pipe[0], std::move(settings), hub);
  uv_signal_t term;
  uv_signal_init(loop, &term);
  term.data = &capture;
  uv_signal_start_oneshot(
      &term,
      [](uv_signal_t* signal, int) {
        auto& owned = *static_cast<std::unique_ptr<cxpm::OutputCapture>*>(signal->data);
        owned->drain_and_close(10s, [] { std::_Exit(0); });
      },
      SIGTERM);
  uv_signal_t usr1;
  uv_signal_init(loop, &usr1);
  usr1.data = &capture;
  uv_signal_start_oneshot(
      &usr1,
      [](uv_signal_t* signal, int) {
        auto& owned = *static_cast<std::unique_ptr<cxpm::OutputCapture>*>(signal->data);
        owned->hand_over([] { std::_Exit(0); });
      },
      SIGUSR1);
  // Blocked since the fork (see start_capture): a signal sent before now arrives here.
  sigprocmask(SIG_UNBLOCK, &stop_signals(), nullptr);
  uv_run(loop, UV_RUN_DEFAULT);
  std::_Exit(3);
}

pid_t start_capture(int keeper_fd, const std::string& out_path, const std::string& combined) {
  sigset_t before;
  sigprocmask(SIG_BLOCK, &stop_signals(), &before);
  const pid_t pid = ::fork();
  if (pid < 0) die("fork");
  if (pid != 0) sigprocmask(SIG_SETMASK, &before, nullptr);
  if (pid == 0) {
    const int own = ::fcntl(keeper_fd, F_DUPFD_CLOEXEC, 3);
    if (own < 0) die("capture: dup");
    run_capture(own, out_path, combined);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) die("waitpid");
  }
  return status;
}

// What the file holds against 0, 1, ... lines-1 once each in order. A kill while a round is
// being written (write(2) stops at a page boundary on SIGKILL) or between the write and the
// consume repeats that round: a repeat is a jump back, maybe after a torn line.
struct Count {
  long lost = 0;
  long repeats = 0;   // jumps back
  long repeated = 0;  // lines written again
  long torn = 0;      // lines that are not a number in range
  long skipped = 0;   // jumps forward past a line not written yet (out of order)
};

Count check(const std::string& path, long lines) {
  std::vector<char> seen(static_cast<std::size_t>(lines), 0);
  Count count;
  std::ifstream file(path);
  std::string line;
  long expected = 0;
  bool repeating = false;
  while (std::getline(file, line)) {
    const auto number = cxpm::parse_whole<long>(line);
    if (!number || *number < 0 || *number >= lines) {
      ++count.torn;
      continue;
    }
    seen[static_cast<std::size_t>(*number)] = 1;
    if (*number < expected) {
      if (!repeating) ++count.repeats;
      repeating = true;
      ++count.repeated;
      continue;
    }
    repeating = false;
    if (*number > expected) ++count.skipped;
    expected = *number + 1;
  }
  for (char was_seen : seen) count.lost += was_seen ? 0 : 1;
  return count;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--combined") {
      options.combined = true;
    } else if (arg == "--hand-over") {
      options.hand_over = true;
    } else if (arg == "--kills" && cxpm::parse_whole<int>(value)) {
      options.kills = *cxpm::parse_whole<int>(value), ++i;
    } else if (arg == "--lines" && cxpm::parse_whole<long>(value)) {
      options.lines = *cxpm::parse_whole<long>(value), ++i;
    } else if (arg == "--seed" && cxpm::parse_whole<unsigned>(value)) {
      options.seed = *cxpm::parse_whole<unsigned>(value), ++i;
    } else {
      std::fprintf(stderr,
                   "usage: capture_kill_test [--kills N] [--lines N] [--combined] [--hand-over] "
                   "[--seed N]\n");
      std::exit(2);
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  char dir_template[] = "/tmp/cxpm-capture-kill.XXXXXX";
  if (!::mkdtemp(dir_template)) die("mkdtemp");
  const std::string dir = dir_template;
  const std::string out_path = dir + "/out.log";
  const std::string combined_path = options.combined ? dir + "/combined.log" : "";

  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) die("pipe");
  const pid_t writer = ::fork();
  if (writer < 0) die("fork");
  if (writer == 0) {
    ::close(pipe_ends[0]);
    run_writer(pipe_ends[1], options.lines, options.seed);
  }
  ::close(pipe_ends[1]);
  const int keeper_fd = pipe_ends[0];  // this process holds the read end throughout

  std::mt19937 random(options.seed + 1);
  int kills = 0;
  bool writer_done = false;
  const auto deadline = std::chrono::steady_clock::now() + 240s;
  while (kills < options.kills && std::chrono::steady_clock::now() < deadline) {
    const pid_t capture = start_capture(keeper_fd, out_path, combined_path);
    // Mostly mid-run, sometimes at once (before or during its first round).
    std::this_thread::sleep_for(std::chrono::microseconds(random() % 20000));
    ::kill(capture, options.hand_over ? SIGUSR1 : SIGKILL);
    const int status = wait_for(capture);
    if (options.hand_over && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
      std::fprintf(stderr, "a capture did not hand over and exit (status %d)\n", status);
      return 1;
    }
    ++kills;
    if (!writer_done && ::waitpid(writer, nullptr, WNOHANG) == writer) writer_done = true;
    // Without a capture the writer blocks on a full pipe now and then: so does an app while
    // no daemon runs.
    if (random() % 4 == 0) std::this_thread::sleep_for(std::chrono::microseconds(random() % 5000));
  }
  // The last capture reads the rest: the writer finishes against it.
  const pid_t last = start_capture(keeper_fd, out_path, combined_path);
  if (!writer_done) wait_for(writer);
  ::kill(last, SIGTERM);
  const int status = wait_for(last);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the last capture did not drain and exit (status %d)\n", status);
    return 1;
  }

  bool ok = true;
  for (const auto& [name, path] :
       {std::pair{"out", out_path}, std::pair{"combined", combined_path}}) {
    if (path.empty()) continue;
    const Count count = check(path, options.lines);
    std::printf(
        "%s: %d kills (seed %u), %ld lines: %ld lost, %ld out of order; %ld repeats of a round "
        "(%ld lines written twice, %ld torn)\n",
        name, kills, options.seed, options.lines, count.lost, count.skipped, count.repeats,
        count.repeated, count.torn);
    // Nothing lost, nothing out of order, and at most one repeat per kill (only a kill inside
    // the write-then-consume window repeats; a torn line comes only with a repeat).
    const long repeats_allowed = options.hand_over ? 0 : kills;
    if (count.lost || count.skipped || count.repeats > repeats_allowed ||
        count.torn > count.repeats) {
      ok = false;
    }
  }
  if (ok) {
    std::remove(out_path.c_str());
    if (!combined_path.empty()) std::remove(combined_path.c_str());
    ::rmdir(dir.c_str());
  } else {
    std::printf("kept for inspection: %s\n", dir.c_str());
  }
  return ok ? 0 : 1;
}
