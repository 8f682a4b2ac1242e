#pragma once
// $CXPM_HOME/state.json kept up to date: told of every change of the supervisor's table, it
// snapshots the table on the loop thread and writes it on the thread pool (temp file, fsync,
// rename, directory fsync: dump_file's writer), one write at a time; changes made while a
// write is under way are written together by the next one. A write that fails keeps the last
// good file, is logged (once, then at most once a minute), and is shown by `ls` until a write
// works again. See docs/architecture.md.

#include <uv.h>

#include <memory>
#include <mutex>
#include <string>

#include "cxpm/core/clock.hpp"
#include "cxpm/daemon/uv_handle.hpp"
#include "cxpm/protocol/saved_state.hpp"

namespace cxpm {

class Supervisor;

// The table as the state file holds it.
SavedState snapshot_state(const Supervisor& supervisor);

class StateWriter {
 public:
  explicit StateWriter(Supervisor& supervisor);
  // A daemon that ends with no process running leaves nothing to adopt: the file goes (the
  // next daemon starts empty, as after `kill`). One that hands over (flush_now), or still has
  // processes, leaves it for the next daemon.
  ~StateWriter();
  StateWriter(const StateWriter&) = delete;
  StateWriter& operator=(const StateWriter&) = delete;

  // The table changed: a write is due soon.
  void changed();
  // Writes the table now, on this thread (`cxpm update`'s hand-over), and keeps the file when
  // this daemon ends. Returns the error, "" when written.
  std::string flush_now();
  // Why state.json is out of date ("" when the last write worked): a line of `cxpm ls`.
  const std::string& problem() const { return problem_; }
  std::uint64_t writes() const { return writes_; }

 private:
  struct Shared {
    std::mutex writing;  // held by the thread that writes; the destructor waits on it
    bool discarded = false;
    std::uint64_t written = 0;  // the newest snapshot on disk: an older one never replaces it
  };
  void begin();
  void finished(const std::string& error);

  Supervisor& supervisor_;
  UvHandle<uv_timer_t> timer_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool scheduled_ = false;
  bool in_flight_ = false;
  bool dirty_ = false;
  bool handed_over_ = false;
  std::string problem_;
  TimePoint logged_at_{};
  std::uint64_t writes_ = 0;
  std::uint64_t snapshots_ = 0;
};

}  // namespace cxpm
