#include "cxpm/keeper/keeper.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <optional>

#include "cxpm/core/build_info.hpp"
#include "cxpm/core/daemon_backoff.hpp"
#include "cxpm/core/keeper_messages.hpp"
#include "cxpm/keeper/keeper_support.hpp"
#include "cxpm/sys/code_pages.hpp"
#include "cxpm/sys/error.hpp"
#include "cxpm/sys/fd_passing.hpp"
#include "cxpm/sys/notify_datagram.hpp"
#include "cxpm/sys/spawn.hpp"

namespace cxpm {
namespace {

constexpr std::size_t kMaxQueuedExits = 4096;
constexpr std::size_t kSpareDescriptors = 64;  // the keeper's own, beside what it keeps
constexpr timeval kLinkSendTimeout{2, 0};      // a daemon that reads nothing that long is stuck
constexpr Milliseconds kDefaultUpdateTimeout{10000};

// The daemon the keeper runs now (none when pid is 0).
struct RunningDaemon {
  pid_t pid = 0;
  UniqueFd link;
  TimePoint started{};
  std::string binary;
  bool ready = false;
  bool said_bye = false;
  std::string update_to;  // it asked to be replaced by this binary
  std::string failure;    // its own words, when it could not start
};

class Keeper {
 public:
  explicit Keeper(const KeeperOptions& options)
      : options_(options),
        ready_fd_(options.ready_fd),
        max_kept_(descriptor_limit() > kSpareDescriptors ? descriptor_limit() - kSpareDescriptors
                                                         : 16),
        update_timeout_(update_timeout_from_environment(kDefaultUpdateTimeout)) {}

  int run() {
    try {
      options_.home.prepare();
      lock_ = lock_keeper_file(options_.home);
    } catch (const std::exception& error) {
      give_up(error.what());
      return 1;
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    ::signal(SIGPIPE, SIG_IGN);
    // The service manager talks to its main pid: the daemon's notifications come through us.
    if (const char* address = std::getenv("NOTIFY_SOCKET"); address && ready_fd_ < 0) {
      notify_address_ = address;
    }
    ::unsetenv("NOTIFY_SOCKET");
    signals_ = block_signals_into_fd({SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1});
    start_daemon("/proc/self/exe");
    while (exit_code_ < 0) turn();
    return exit_code_;
  }

 private:
  void turn() {
    pollfd watched[2] = {{signals_.get(), POLLIN, 0}, {daemon_.link.get(), POLLIN, 0}};
    const nfds_t count = daemon_.link ? 2 : 1;
    const int ready = ::poll(watched, count, poll_timeout());
    if (ready < 0 && errno != EINTR) fail_hard("poll");
    if (count == 2 && watched[1].revents) read_link();
    if (watched[0].revents) read_signals();
    const TimePoint now = steady_now();
    if (trial_deadline_ && now >= *trial_deadline_ && daemon_.pid) {
      trial_deadline_.reset();
      trial_timed_out_ = true;
      say("the new daemon (pid " + std::to_string(daemon_.pid) + ") did not report ready within " +
          std::to_string(update_timeout_.count()) + " ms; killing it");
      ::kill(-daemon_.pid, SIGKILL);  // its process group: a script's own children too
      ::kill(daemon_.pid, SIGKILL);
    }
    if (restart_at_ && now >= *restart_at_ && !daemon_.pid) {
      restart_at_.reset();
      start_daemon(binary_);
    }
  }

  int poll_timeout() const {
    std::optional<TimePoint> next;
    for (const auto& when : {restart_at_, trial_deadline_}) {
      if (when && (!next || *when < *next)) next = when;
    }
    if (!next) return -1;
    const auto wait = std::chrono::duration_cast<Milliseconds>(*next - steady_now()).count();
    return static_cast<int>(std::clamp<Milliseconds::rep>(wait, 0, 60'000));
  }

  void start_daemon(const std::string& binary) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
      return retry_start("cannot make the daemon's link: " + error_text(errno));
    }
    UniqueFd ours(pair[0]);
    UniqueFd theirs(pair[1]);
    ::setsockopt(ours.get(), SOL_SOCKET, SO_SNDTIMEO, &kLinkSendTimeout, sizeof kLinkSendTimeout);
    const bool first = !ever_ready_ && starts_ == 0;
    SpawnOptions spawn;
    spawn.argv = {binary, "daemon"};
    if (first && options_.resurrect) spawn.argv.push_back("--resurrect");
    spawn.env = daemon_environment(options_.daemon_to_stderr);
    spawn.cwd = "/";
    spawn.stdout_fd = STDOUT_FILENO;
    spawn.stderr_fd = STDERR_FILENO;
    spawn.passed_fds = {theirs.get()};
    const SpawnResult spawned = spawn_process(spawn);
    ++starts_;
    if (!spawned.ok()) return retry_start("cannot start the daemon: " + spawned.error);
    daemon_ = RunningDaemon{spawned.pid, std::move(ours), steady_now(), binary};
    say("started the daemon (pid " + std::to_string(spawned.pid) + ", " +
        (binary == "/proc/self/exe" ? std::string("this binary") : binary) + ")");
    hand_over();
  }

  // A start that failed before any process ran (no descriptors, no process slots).
  void retry_start(const std::string& why) {
    say(why);
    if (!ever_ready_) return give_up(why);
    restart_at_ = steady_now() + backoff_.after_death(Milliseconds{0});
  }

  // The new daemon's first words: who we are, every kept descriptor, then the exits queued.
  void hand_over() {
    const KeeperHello hello{::getpid(), build_description(), std::exchange(update_failure_, {})};
    bool sent = send_message(daemon_.link.get(), link_message("hello", hello_argument(hello)));
    for (auto item = kept_.begin(); sent && item != kept_.end(); ++item) {
      sent = send_message(daemon_.link.get(), link_message("fd", item->first), item->second.get());
    }
    sent = sent && send_message(daemon_.link.get(), "handed");
    if (!sent) {
      say("cannot hand the descriptors over (" + error_text(errno) + "); killing the daemon");
      ::kill(daemon_.pid, SIGKILL);
      return;
    }
    send_exits();
  }

  void send_exits() {
    while (!exits_.empty() && daemon_.link) {
      if (!send_message(daemon_.link.get(), link_message("exit", exit_argument(exits_.front())))) {
        return;  // kept for the next daemon
      }
      exits_.pop_front();
    }
  }

  void read_link() {
    for (;;) {
      auto received = receive_message(daemon_.link.get(), /*wait=*/false);
      if (!received) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        daemon_.link.reset();  // it is exiting: its exit comes as SIGCHLD
        return;
      }
      if (auto message = parse_link_message(received->text)) {
        handle(*message, std::move(received->fd));
      }
    }
  }

  void handle(const LinkMessage& message, UniqueFd fd) {
    if (message.verb == "keep") {
      if (!valid_key(message.argument) || !fd) return say("refused a bad keep message");
      if (kept_.size() >= max_kept_ && !kept_.contains(message.argument)) {
        return say("already holds " + std::to_string(kept_.size()) + " descriptors (the limit); " +
                   message.argument + " is not kept");
      }
      kept_[message.argument] = std::move(fd);
    } else if (message.verb == "forget") {
      kept_.erase(message.argument);
    } else if (message.verb == "ready") {
      on_ready();
    } else if (message.verb == "failed") {
      daemon_.failure = message.argument;
    } else if (message.verb == "notify") {
      if (notify_address_.empty()) return;
      if (auto error = send_notify_datagram(notify_address_, message.argument); !error.empty()) {
        say("cannot tell the service manager: " + error);
      }
    } else if (message.verb == "update") {
      if (message.argument.empty() || message.argument.front() != '/') {
        return say("refused an update to a relative path");
      }
      daemon_.update_to = message.argument;
    } else if (message.verb == "bye") {
      daemon_.said_bye = true;
    } else {
      say("ignored an unknown message from the daemon: " + message.verb);
    }
  }

  void on_ready() {
    daemon_.ready = true;
    if (!trial_.empty()) {
      say("updated: the daemon (pid " + std::to_string(daemon_.pid) + ") runs " + trial_);
      binary_ = std::exchange(trial_, {});
      trial_deadline_.reset();
    }
    if (!ever_ready_) tell_parent("ok");
    ever_ready_ = true;
    if (stop_signal_) ::kill(daemon_.pid, stop_signal_);  // asked while no daemon could hear it
    // From here the keeper mostly waits: let go of the code its start-up ran (code_pages.hpp).
    release_code_pages();
  }

  void read_signals() {
    signalfd_siginfo info{};
    while (::read(signals_.get(), &info, sizeof info) == sizeof info) {
      const int signal_number = static_cast<int>(info.ssi_signo);
      if (signal_number == SIGCHLD) {
        reap();
      } else if (signal_number == SIGTERM || signal_number == SIGINT) {
        stop_signal_ = signal_number;
        say(std::string("got ") + (signal_number == SIGTERM ? "SIGTERM" : "SIGINT") +
            ": the daemon stops every app, then both exit");
        if (daemon_.pid && (daemon_.ready || !ever_ready_)) ::kill(daemon_.pid, signal_number);
        if (!daemon_.pid) restart_at_ = steady_now();  // a daemon to stop the apps, now
      } else if (signal_number == SIGUSR1) {
        if (daemon_.pid) ::kill(daemon_.pid, SIGUSR1);
      }
    }
  }

  void reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == daemon_.pid) {
        daemon_exited(status);
        continue;
      }
      if (exits_.size() >= kMaxQueuedExits) {
        say("more than " + std::to_string(kMaxQueuedExits) +
            " exits queued for the next daemon; the oldest is dropped");
        exits_.pop_front();
      }
      exits_.push_back({pid, status});
    }
    send_exits();
  }

  void daemon_exited(int status) {
    RunningDaemon ended = std::move(daemon_);
    daemon_ = {};
    const auto lived = std::chrono::duration_cast<Milliseconds>(steady_now() - ended.started);
    const std::string how = describe_wait_status(status);
    if (ended.said_bye) {
      say("the daemon (pid " + std::to_string(ended.pid) + ") " + how + "; exiting with it");
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
      return;
    }
    if (!trial_.empty()) return roll_back(ended, how);
    if (!ended.update_to.empty()) {
      say("the daemon (pid " + std::to_string(ended.pid) + ") handed over; starting " +
          ended.update_to);
      trial_ = ended.update_to;
      trial_timed_out_ = false;
      trial_deadline_ = steady_now() + update_timeout_;
      return start_daemon(trial_);
    }
    if (!ever_ready_) {
      return give_up(ended.failure.empty() ? "the daemon " + how + " before it answered"
                                           : ended.failure);
    }
    const Milliseconds delay = backoff_.after_death(lived);
    say("the daemon (pid " + std::to_string(ended.pid) + ") " + how + "; starting a new one" +
        (delay.count() ? " in " + std::to_string(delay.count()) + " ms" : std::string()));
    restart_at_ = steady_now() + delay;
  }

  // The update's new daemon failed: the previous binary runs again, and the next daemon is
  // told why (the CLI asks it).
  void roll_back(const RunningDaemon& ended, const std::string& how) {
    update_failure_ = "the new daemon (" + trial_ + ") " +
                      (trial_timed_out_ ? "did not report ready within " +
                                              std::to_string(update_timeout_.count()) + " ms"
                                        : how + " before it was ready") +
                      (ended.failure.empty() ? std::string() : ": " + ended.failure);
    say(update_failure_ + "; starting the previous daemon again");
    trial_.clear();
    trial_deadline_.reset();
    start_daemon(binary_);
  }

  void give_up(const std::string& why) {
    tell_parent("error: " + why);
    say("no daemon could start: " + why);
    exit_code_ = 1;
  }

  void tell_parent(const std::string& message) {
    if (ready_fd_ < 0) return;
    const std::string line = message + "\n";
    [[maybe_unused]] auto written = ::write(ready_fd_, line.data(), line.size());
    ::close(ready_fd_);
    ready_fd_ = -1;
  }

  [[noreturn]] void fail_hard(const char* what) {
    say(std::string(what) + ": " + error_text(errno));
    std::_Exit(1);
  }

  KeeperOptions options_;
  int ready_fd_;
  std::size_t max_kept_;
  Milliseconds update_timeout_;
  UniqueFd lock_;
  UniqueFd signals_;
  std::string notify_address_;
  RunningDaemon daemon_;
  std::map<std::string, UniqueFd> kept_;
  std::deque<ReportedExit> exits_;
  std::string binary_ = "/proc/self/exe";  // what a restart runs: our own image, or the update's
  std::string trial_;                      // an update's binary, until its daemon is ready
  bool trial_timed_out_ = false;
  std::optional<TimePoint> trial_deadline_;
  std::optional<TimePoint> restart_at_;
  std::string update_failure_;
  DaemonBackoff backoff_;
  int starts_ = 0;
  bool ever_ready_ = false;
  int stop_signal_ = 0;
  int exit_code_ = -1;
};

}  // namespace

int run_keeper(const KeeperOptions& options) {
  return Keeper(options).run();
}

}  // namespace cxpm
