#pragma once
// Where app output goes besides the files: to `logs` readers following it live. Also owns the
// log files, so everything about logs has one home in the daemon.
//
// A reader gets lines only as fast as it reads them. One that falls more than
// kMaxReaderBacklog bytes behind is told so (too_slow) and dropped, and so is the one furthest
// behind whenever all readers together hold more than kMaxAllReadersBacklog: neither the
// daemon nor any app waits for a reader, the daemon's memory for them is bounded however many
// there are, and the files get every line regardless.

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cxpm/daemon/control_server.hpp"
#include "cxpm/daemon/log_file.hpp"
#include "cxpm/daemon/log_format.hpp"

namespace cxpm {

// Which lines a reader wants.
struct LogFilter {
  bool all = false;  // every app, including apps started later
  std::set<std::string, std::less<>> apps;
  std::set<int> ids;
  bool out = true;
  bool err = true;

  bool matches(const LineSource& source, bool is_error) const;
};

// max_size, retain and compress from an app's settings.
RotationSettings rotation_settings_of(const AppSpec& spec);
// Whom an app's log files are opened as in a directory others may write: its `uid` user.
std::optional<FileUser> log_file_user_of(const AppSpec& spec);

class LogHub {
 public:
  using FollowerId = std::uint64_t;

  // What one reader may leave unread in the daemon (beyond what its socket holds): a few
  // seconds of a chatty app's output, so a reader that pauses briefly keeps up.
  static constexpr std::size_t kMaxReaderBacklog = 1024 * 1024;
  // All readers together, live lines and last lines alike: 250 readers that never read cost
  // this much, not 250 times the above.
  static constexpr std::size_t kMaxAllReadersBacklog = 8 * 1024 * 1024;
  // Longer lines reach readers cut to this size (the files have them whole), which keeps
  // every event under the protocol's 1 MiB frame limit.
  static constexpr std::size_t kMaxStreamedLine = 64 * 1024;

  // Sees every line as it is published, beside the readers (the runtime's own output).
  using Tap = std::function<void(const LineSource& source, bool is_error, std::int64_t unix_ms,
                                 const std::vector<std::string>& lines)>;

  explicit LogHub(uv_loop_t* loop) : files_(loop) {}

  // Every line goes to `tap` too, from now on ({} for none).
  void set_tap(Tap tap) { tap_ = std::move(tap); }

  LogFiles& files() { return files_; }

  // Starts following; lines are held back (within the same bound) until release(), so a
  // reader can first be sent the files' last lines and then, without a gap, what followed.
  FollowerId follow(LogFilter filter, Responder responder);
  void release(FollowerId id);
  void unfollow(FollowerId id);

  // Cheap when nobody follows: lines are only copied for readers that want them.
  bool wants(const LineSource& source, bool is_error) const;
  void publish(const LineSource& source, bool is_error, std::int64_t unix_ms,
               std::vector<std::string> lines);
  // A `logs` request's last lines: sent unless this reader would have more than
  // `reader_limit` unread, or all readers together more than kMaxAllReadersBacklog.
  bool send_tail(const Responder& responder, Json event, std::size_t reader_limit);

  // What each app's instances wrote, by stream, since the daemon started (the web server's
  // metrics): counted as bytes leave the pipes, whether anyone follows or not.
  struct WrittenKey {
    std::string app;
    int instance = 0;
    bool is_error = false;
    auto operator<=>(const WrittenKey&) const = default;
  };
  struct WrittenCount {
    std::uint64_t lines = 0;
    std::uint64_t bytes = 0;
  };
  void count_written(const LineSource& source, bool is_error, std::uint64_t lines,
                     std::uint64_t bytes);
  const std::map<WrittenKey, WrittenCount>& written() const { return written_; }

  // Reopens every open file (reloadLogs, SIGUSR1); `done` runs once all are reopened, with
  // how many there were and why those that did not open failed.
  using Reopened = std::function<void(std::size_t count, const std::vector<std::string>& errors)>;
  void reopen_all(Reopened done = {});

 private:
  struct Follower {
    LogFilter filter;
    Responder responder;
    bool holding = true;
    std::vector<SharedEventData> held;
    std::size_t held_bytes = 0;
    bool dropped = false;
    // Last lines still unread when live lines began: allowed on top of kMaxReaderBacklog,
    // shrinking as the reader reads them.
    std::size_t allowance = 0;
  };

  // Bytes all readers have unread: followers' and those of last lines just sent.
  std::size_t readers_backlog() const;
  // Drops the follower furthest behind; false when none holds anything.
  bool drop_furthest_behind();
  void cut_off(Follower& follower);
  void erase_dropped();

  LogFiles files_;
  Tap tap_;
  std::map<FollowerId, Follower> followers_;
  FollowerId next_id_ = 1;
  std::map<WrittenKey, WrittenCount> written_;
  // Who was last sent last lines, so their unread bytes count too until they read them.
  std::vector<Responder> tail_readers_;
};

}  // namespace cxpm
