#pragma once
// The disk side of a LogFile: what its queued operations do, on a worker thread, one job at
// a time (so nothing here needs a lock).
//
// Every open goes through sys/safe_open: the path is walked from directory descriptors, the
// file is never a link, and in a directory the app's user may write it is opened as that
// user. Rotation (renameat), retention (unlinkat) and compression act in the directory the
// file was opened in.
//
// Lines are written whole or not at all. A write that fails (a full disk, a quota, EIO) is
// cut back to the last whole line, the lines it could not keep are counted as dropped, and
// the next write that succeeds is preceded by one line saying how many were lost. Nothing
// is rotated while writes fail, so a full disk makes no empty rotated files.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/core/log_rotation.hpp"
#include "cxpm/sys/safe_open.hpp"
#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

struct RotationSettings {
  std::uint64_t max_size = 0;  // bytes; 0: never rotate
  int retain = 5;              // rotated files kept
  bool compress = false;       // gzip rotated files
};

// A rotated file to compress once the job is done.
struct RotatedFile {
  std::string directory;
  std::string name;
  std::optional<FileUser> opener;
};

// Lines dropped by every LogWriter that shares it, since the daemon started (for
// cxpm_log_lines_dropped_total): written on worker threads, read on the loop thread.
using DroppedLinesCount = std::shared_ptr<std::atomic<std::uint64_t>>;

// "cxpm: 12,345 lines dropped while the disk was full" for a failure with `error` (an errno,
// or 0 when the file could not be opened, for `reason`).
std::string dropped_lines_marker(std::uint64_t lines, int error, const std::string& reason);

class LogWriter {
 public:
  using Lines = std::vector<std::string>;

  // A tail read stops after this many bytes from the end, however few lines it found.
  static constexpr std::size_t kMaxTailBytes = 8 * 1024 * 1024;

  LogWriter(std::string path, RotationSettings rotation, std::optional<FileUser> app_user,
            DroppedLinesCount dropped_total = {});

  // Constant, so the loop thread may read it while a job runs.
  const std::string& path() const { return path_; }

  // Whole lines, newlines included.
  void write(std::string_view lines, std::vector<RotatedFile>& rotated);
  // Rotates now whatever max_size says (rotate_interval), unless the file is empty.
  void rotate_now(std::vector<RotatedFile>& rotated);
  // Close and open the path again (an external logrotate moved it); the error, if any.
  std::string reopen();
  // Empty the file (flush); the error, if any.
  std::string truncate();
  // The last `count` lines, continuing into the previous rotation.
  Lines tail(std::size_t count) const;

 private:
  bool open(bool asked);
  bool write_marker();
  // Writes `part` (whole lines) and returns how many of its bytes are in the file: all of
  // them, or up to the last whole line before a failure.
  std::size_t write_whole_lines(std::string_view part);
  void drop(std::string_view lines, int error, const std::string& reason);
  void rotate(std::vector<RotatedFile>& rotated);
  // The regular files in the open file's directory (links are left out).
  std::vector<DirectoryEntry> regular_files() const;
  // Deletes the rotations beyond `retain` among `files` (the directory's, as listed).
  void delete_old_rotations(const std::vector<DirectoryEntry>& files) const;

  const std::string path_;
  const RotationSettings rotation_;
  const std::optional<FileUser> app_user_;
  const DroppedLinesCount dropped_total_;

  UniqueFd fd_;
  std::optional<SafeDirectory> directory_;  // the open file's
  std::string name_;                        // the open file's name in it
  std::optional<FileUser> opener_;          // who opened it (unset: the daemon)
  std::uint64_t size_ = 0;
  bool rotatable_ = false;  // a regular file
  std::string previous_rotation_;

  // Failures: lines are dropped, counted, logged at most once a minute, and reported in the
  // file once it can be written again.
  std::uint64_t dropped_lines_ = 0;
  int dropped_error_ = 0;       // why the last were dropped: a write's errno, or 0 and
  std::string dropped_reason_;  // what the failing open said
  int failure_error_ = 0;       // the errno of the last failed write
  std::string failure_reason_;  // what the last failed open said; empty once open
  std::chrono::steady_clock::time_point next_open_attempt_{};
  std::chrono::steady_clock::time_point next_failure_report_{};
};

}  // namespace cxpm
