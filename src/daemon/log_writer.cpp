#include "cxpm/daemon/log_writer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "cxpm/core/log_rotation.hpp"
#include "cxpm/core/tail_lines.hpp"
#include "cxpm/daemon/log_format.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;
// A path that cannot be opened is tried again at most this often (each try may fork a helper).
constexpr auto kOpenRetry = std::chrono::seconds(1);
constexpr auto kFailureReportInterval = std::chrono::minutes(1);

std::uint64_t count_lines(std::string_view bytes) {
  return static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
}

std::string with_separators(std::uint64_t number) {
  std::string digits = std::to_string(number);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    // One char, not the string ",": GCC 12 at -O3 warns falsely on inserting a literal
    // (-Wrestrict, GCC bug 105329).
    digits.insert(static_cast<std::size_t>(at), 1, ',');
  }
  return digits;
}

bool disk_full(int error) {
  return error == ENOSPC || error == EDQUOT;
}

}  // namespace

// Messages by fmt, not "literal" + std::string: GCC 12 at -O3 warns falsely on that (-Wrestrict,
// GCC bug 105329).
std::string dropped_lines_marker(std::uint64_t lines, int error, const std::string& reason) {
  const std::string count =
      with_separators(lines) + (lines == 1 ? " line dropped" : " lines dropped");
  if (disk_full(error)) return fmt::format("cxpm: {} while the disk was full\n", count);
  if (error != 0) {
    return fmt::format("cxpm: {} while the file could not be written ({})\n", count,
                       error_text(error));
  }
  return fmt::format("cxpm: {} while the file could not be opened ({})\n", count, reason);
}

LogWriter::LogWriter(std::string path, RotationSettings rotation, std::optional<FileUser> app_user,
                     DroppedLinesCount dropped_total)
    : path_(std::move(path)),
      rotation_(rotation),
      app_user_(app_user),
      dropped_total_(std::move(dropped_total)) {}

bool LogWriter::open(bool asked) {
  if (fd_) return true;
  const auto now = SteadyClock::now();
  if (!asked && now < next_open_attempt_) return false;
  try {
    SafePath where = SafePath::resolve(path_);
    auto opener = opener_in(where.directory, app_user_);
    // A FIFO without a reader blocks this file's queue until one comes (backpressure).
    UniqueFd fd = open_in(where.directory, where.name, O_WRONLY | O_CREAT | O_APPEND, 0640, opener);
    struct stat info {};
    const bool known = ::fstat(fd.get(), &info) == 0;
    fd_ = std::move(fd);
    directory_.emplace(std::move(where.directory));
    name_ = std::move(where.name);
    opener_ = opener;
    size_ = known ? static_cast<std::uint64_t>(info.st_size) : 0;
    // A FIFO, a terminal or /dev/stderr cannot be renamed away: no rotation for them.
    rotatable_ = known && S_ISREG(info.st_mode);
    if (!failure_reason_.empty()) spdlog::info("log file {} is open again", path_);
    failure_reason_.clear();
    return true;
  } catch (const std::exception& error) {
    next_open_attempt_ = now + kOpenRetry;
    if (failure_reason_ != error.what()) {
      spdlog::error("{}; its lines are dropped (and counted) until it opens", error.what());
    }
    failure_reason_ = error.what();
    return false;
  }
}

std::string LogWriter::reopen() {
  fd_.reset();
  return open(true) ? std::string() : failure_reason_;
}

std::string LogWriter::truncate() {
  if (!open(true)) return failure_reason_;
  if (::ftruncate(fd_.get(), 0) != 0) {
    const std::string error = "cannot empty " + path_ + ": " + error_text(errno);
    spdlog::warn("{}", error);
    return error;
  }
  size_ = 0;
  return {};
}

void LogWriter::write(std::string_view bytes, std::vector<RotatedFile>& rotated) {
  while (!bytes.empty()) {
    if (!open(false)) return drop(bytes, 0, failure_reason_);
    // The marker goes first, also as the probe that tells whether space came back.
    if (dropped_lines_ > 0 && !write_marker()) return drop(bytes, failure_error_, {});
    std::string_view part = bytes;
    const std::uint64_t max = rotation_.max_size;
    if (max > 0 && rotatable_ && size_ + part.size() > max) {
      // Fill the file with whole lines up to max_size, then rotate: a rotated file never ends
      // mid-line, and never exceeds max_size unless a single line does.
      const std::uint64_t room = size_ < max ? max - size_ : 0;
      const auto cut =
          room == 0 ? std::string_view::npos : part.rfind('\n', static_cast<std::size_t>(room - 1));
      if (cut != std::string_view::npos) {
        part = part.substr(0, cut + 1);
      } else if (size_ > 0) {
        rotate(rotated);
        continue;
      } else if (const auto end = part.find('\n'); end != std::string_view::npos) {
        part = part.substr(0, end + 1);  // one line longer than max_size: a file of its own
      }
    }
    const std::size_t kept = write_whole_lines(part);
    bytes.remove_prefix(kept);
    if (kept < part.size()) return drop(bytes, failure_error_, {});
  }
}

bool LogWriter::write_marker() {
  const std::uint64_t dropped = dropped_lines_;
  const std::string marker = dropped_lines_marker(dropped, dropped_error_, dropped_reason_);
  if (write_whole_lines(marker) < marker.size()) return false;
  spdlog::info("log file {} is writable again; {} line(s) were dropped meanwhile", path_, dropped);
  dropped_lines_ = 0;
  next_failure_report_ = {};
  return true;
}

std::size_t LogWriter::write_whole_lines(std::string_view part) {
  // Where this write starts, to cut a partial one back to its last whole line.
  const off_t start = rotatable_ ? ::lseek(fd_.get(), 0, SEEK_END) : -1;
  if (start >= 0) size_ = static_cast<std::uint64_t>(start);
  std::size_t done = 0;
  int error = 0;
  while (done < part.size()) {
    const ssize_t written = ::write(fd_.get(), part.data() + done, part.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    done += static_cast<std::size_t>(written);
  }
  if (done == part.size()) {
    size_ += done;
    return done;
  }
  const auto newline = part.substr(0, done).rfind('\n');
  const std::size_t kept = newline == std::string_view::npos ? 0 : newline + 1;
  if (kept < done && start >= 0 && ::ftruncate(fd_.get(), start + static_cast<off_t>(kept)) != 0) {
    spdlog::error("cannot cut a torn line off {}: {}", path_, error_text(errno));
  }
  size_ += kept;
  failure_error_ = error != 0 ? error : EIO;
  return kept;
}

void LogWriter::drop(std::string_view lines, int error, const std::string& reason) {
  const std::uint64_t count = count_lines(lines);
  if (count == 0) return;
  const bool first = dropped_lines_ == 0;
  dropped_lines_ += count;
  if (dropped_total_) dropped_total_->fetch_add(count, std::memory_order_relaxed);
  dropped_error_ = error;
  dropped_reason_ = reason;
  const auto now = SteadyClock::now();
  if (!first && now < next_failure_report_) return;
  next_failure_report_ = now + kFailureReportInterval;
  if (error == 0) {
    if (!first) spdlog::warn("{}: {} line(s) dropped so far", reason, dropped_lines_);
    return;  // open() said why when it first failed
  }
  spdlog::error(
      "cannot write log file {}: {}; {} line(s) dropped so far, and dropped (counted) "
      "until it can be written again",
      path_, error_text(error), dropped_lines_);
}

void LogWriter::rotate(std::vector<RotatedFile>& rotated) {
  // Rename, then open a new file: the rotated file keeps every byte written to it, unlike
  // copy-then-truncate, which loses what the app writes between the two.
  const int dir = directory_->fd();
  const CivilTime now = local_time(wall_clock_ms());
  // One listing names the rotation and, adjusted for the rename, decides what retain deletes:
  // a directory of many apps' logs is read once per rotation.
  std::vector<DirectoryEntry> files = regular_files();
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.name);
  std::string name;
  // Above every rotation of this second, then past any other file that holds the name.
  for (int sequence = next_rotation_sequence(name_, now, names); sequence < 1000000; ++sequence) {
    name = rotated_path(name_, now, sequence);
    struct stat info {};
    if (::fstatat(dir, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 &&
        ::fstatat(dir, (name + ".gz").c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
      break;
    }
  }
  if (::renameat(dir, name_.c_str(), dir, name.c_str()) != 0) {
    if (errno != ENOENT) {
      spdlog::error("cannot rotate {}: {}; it grows on", path_, error_text(errno));
      size_ = 0;  // try again after another max_size bytes, not at every line
      return;
    }
    name.clear();  // someone moved it away already: just start a new one
  }
  fd_.reset();
  const SafeDirectory& where = *directory_;
  RotatedFile done{where.path(), name, opener_};
  previous_rotation_ = name.empty() ? std::string() : where.path_of(name);
  if (!name.empty()) {
    for (auto& file : files) {
      if (file.name == name_) file.name = name;
    }
    delete_old_rotations(files);
  }
  struct stat info {};
  if (!name.empty() && rotation_.compress &&
      ::fstatat(dir, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
    rotated.push_back(std::move(done));
  }
  open(true);
}

void LogWriter::rotate_now(std::vector<RotatedFile>& rotated) {
  // An empty file holds no history: rotating it would only push a real rotation out.
  if (!open(false) || !rotatable_ || size_ == 0 || dropped_lines_ > 0) return;
  rotate(rotated);
}

std::vector<DirectoryEntry> LogWriter::regular_files() const {
  const int dir = directory_->fd();
  std::vector<DirectoryEntry> files;
  UniqueFd listing_fd(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  DIR* listing = listing_fd ? ::fdopendir(listing_fd.get()) : nullptr;
  if (!listing) return files;
  listing_fd.release();  // closedir closes it
  while (const dirent* entry = ::readdir(listing)) {
    struct stat info {};
    // Links are nobody's rotation: never counted, never deleted.
    if (::fstatat(dir, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode)) {
      continue;
    }
    files.push_back({entry->d_name, static_cast<std::uint64_t>(info.st_size)});
  }
  ::closedir(listing);
  return files;
}

void LogWriter::delete_old_rotations(const std::vector<DirectoryEntry>& files) const {
  const int dir = directory_->fd();
  for (const auto& name : rotations_to_delete(name_, files, rotation_.retain)) {
    if (::unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) {
      spdlog::warn("cannot delete old log {}: {}", directory_->path_of(name), error_text(errno));
    }
  }
}

LogWriter::Lines LogWriter::tail(std::size_t count) const {
  TailLines tail(count);
  std::vector<std::string> sources{path_};
  if (!previous_rotation_.empty()) sources.push_back(previous_rotation_);
  std::vector<char> chunk(kReadChunk);
  std::size_t budget = kMaxTailBytes;
  bool at_start = true;
  for (const auto& source : sources) {
    if (tail.complete()) break;
    UniqueFd fd;
    try {
      SafePath where = SafePath::resolve(source);
      // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
      fd = open_in(where.directory, where.name, O_RDONLY | O_NONBLOCK, 0,
                   opener_in(where.directory, app_user_));
    } catch (const std::exception&) {
      continue;  // the write side reports what is wrong with the path
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    auto offset = static_cast<std::uint64_t>(info.st_size);
    while (offset > 0 && !tail.complete() && budget > 0) {
      const auto size =
          static_cast<std::size_t>(std::min<std::uint64_t>({chunk.size(), offset, budget}));
      const ssize_t got = ::pread(fd.get(), chunk.data(), size, static_cast<off_t>(offset - size));
      if (got != static_cast<ssize_t>(size)) break;  // shrunk under us: take what we have
      offset -= size;
      budget -= size;
      tail.add_preceding({chunk.data(), size});
    }
    if (offset > 0) {
      at_start = false;
      break;
    }
  }
  return tail.lines(at_start);
}

}  // namespace cxpm
