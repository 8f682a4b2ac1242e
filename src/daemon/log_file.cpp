#include "cxpm/daemon/log_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>

#include "cxpm/core/log_rotation.hpp"
#include "cxpm/core/tail_lines.hpp"
#include "cxpm/daemon/log_format.hpp"
#include "cxpm/sys/error.hpp"

namespace cxpm {

struct LogFile::Job {
  uv_work_t request{};
  std::shared_ptr<LogFile> file;  // alive until the job is done, even if every writer left
  std::deque<Op> ops;
  std::size_t bytes = 0;
  std::vector<std::string> rotated;  // to compress once the job is done
};

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// A buffer kept between bursts costs memory in an idle daemon; a small one is worth keeping.
constexpr std::size_t kSpareKept = 64 * 1024;

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void gzip_file(const std::string& path) {
  UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return;  // already deleted: `retain` was reached first
  const std::string target = path + ".gz";
  UniqueFd out(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
  gzFile gz = out ? ::gzdopen(out.get(), "wb") : nullptr;
  if (!gz) {
    spdlog::error("cannot compress {}: cannot create {}: {}", path, target, error_text(errno));
    return;
  }
  out.release();  // gzclose closes it
  std::vector<char> buffer(kReadChunk);
  bool ok = true;
  for (;;) {
    const ssize_t got = ::read(in.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ok = got == 0;
      break;
    }
    if (::gzwrite(gz, buffer.data(), static_cast<unsigned>(got)) != got) {
      ok = false;
      break;
    }
  }
  if (::gzclose(gz) != Z_OK) ok = false;
  if (!ok) {
    spdlog::error("cannot compress {} (disk full?); it stays uncompressed", path);
    ::unlink(target.c_str());
    return;
  }
  // Gone meanwhile means `retain` deleted it: its compressed copy goes too.
  if (::unlink(path.c_str()) != 0) ::unlink(target.c_str());
}

struct CompressJob {
  uv_work_t request{};
  std::string path;
};

}  // namespace

LogFile::LogFile(uv_loop_t* loop, std::string path, RotationSettings rotation)
    : loop_(loop), path_(std::move(path)), rotation_(rotation), batch_timer_(loop) {}

void LogFile::append(std::string_view bytes) {
  if (bytes.empty()) return;
  if (ops_.empty() || ops_.back().kind != Op::Kind::kWrite) {
    Op op{Op::Kind::kWrite};
    op.bytes.swap(spare_);
    ops_.push_back(std::move(op));
  }
  ops_.back().bytes.append(bytes);
  queued_bytes_ += bytes.size();
  if (busy_) return;  // finish() schedules what queued meanwhile
  if (ops_.back().bytes.size() >= kBatchBytes) return schedule();
  if (batch_waiting_) return;
  batch_waiting_ = true;
  batch_timer_.start(kBatchDelay, [life = weak_from_this()] {
    auto file = life.lock();
    if (!file) return;
    file->batch_waiting_ = false;
    if (!file->busy_ && !file->ops_.empty()) file->schedule();
  });
}

void LogFile::when_uncongested(Done done) {
  if (!congested()) return done();
  uncongested_waiters_.push_back(std::move(done));
}

void LogFile::when_written(Done done) {
  if (!busy_ && ops_.empty()) return done();
  ops_.push_back(Op{Op::Kind::kNotify});
  ops_.back().done = std::move(done);
  if (!busy_) schedule();
}

void LogFile::reopen(Done done) {
  ops_.push_back(Op{Op::Kind::kReopen});
  ops_.back().done = std::move(done);
  if (!busy_) schedule();
}

void LogFile::truncate(Done done) {
  ops_.push_back(Op{Op::Kind::kTruncate});
  ops_.back().done = std::move(done);
  if (!busy_) schedule();
}

void LogFile::tail(std::size_t count, std::function<void(Lines)> done) {
  ops_.push_back(Op{Op::Kind::kTail});
  ops_.back().lines = count;
  ops_.back().on_tail = std::move(done);
  if (!busy_) schedule();
}

void LogFile::schedule() {
  if (batch_waiting_) {
    batch_timer_.stop();
    batch_waiting_ = false;
  }
  auto job = std::make_unique<Job>();
  job->file = shared_from_this();
  job->ops.swap(ops_);
  for (const auto& op : job->ops) job->bytes += op.bytes.size();
  job->request.data = job.get();
  busy_ = true;
  uv_queue_work(
      loop_, &job->request,
      [](uv_work_t* request) {
        auto* job = static_cast<Job*>(request->data);
        job->file->run(*job);
      },
      [](uv_work_t* request, int) {
        std::unique_ptr<Job> job(static_cast<Job*>(request->data));
        job->file->finish(*job);
      });
  job.release();  // owned by the work request until its callback
}

void LogFile::finish(Job& job) {
  busy_ = false;
  queued_bytes_ -= job.bytes;
  for (auto& path : job.rotated) compress_rotated_file(loop_, std::move(path));
  for (auto& op : job.ops) {
    if (op.kind == Op::Kind::kWrite && op.bytes.capacity() > spare_.capacity()) {
      op.bytes.clear();
      spare_.swap(op.bytes);
    }
    if (op.on_tail) op.on_tail(std::move(op.tail));
    if (op.done) op.done();
  }
  if (!busy_ && !ops_.empty()) schedule();
  if (!busy_ && spare_.capacity() > kSpareKept) spare_ = std::string();
  if (!congested() && !uncongested_waiters_.empty()) {
    auto waiters = std::move(uncongested_waiters_);
    uncongested_waiters_.clear();
    for (auto& waiter : waiters) waiter();
  }
}

// ---- On a worker thread, one job at a time per file.

void LogFile::run(Job& job) {
  for (auto& op : job.ops) {
    switch (op.kind) {
      case Op::Kind::kWrite:
        write_lines(op.bytes, job);
        break;
      case Op::Kind::kReopen:
        fd_.reset();
        open_file();
        break;
      case Op::Kind::kTruncate:
        if (!fd_) open_file();
        if (fd_ && ::ftruncate(fd_.get(), 0) != 0) {
          spdlog::warn("cannot empty {}: {}", path_, error_text(errno));
        } else {
          size_ = 0;
        }
        break;
      case Op::Kind::kTail:
        op.tail = read_tail(op.lines);
        break;
      case Op::Kind::kNotify:
        break;
    }
  }
}

void LogFile::open_file() {
  fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (!fd_) {
    if (!open_failing_) {
      spdlog::error("cannot open log file {}: {}; its lines are dropped until it opens", path_,
                    error_text(errno));
    }
    open_failing_ = true;
    return;
  }
  if (open_failing_) spdlog::info("log file {} is open again", path_);
  open_failing_ = false;
  struct stat info {};
  const bool known = ::fstat(fd_.get(), &info) == 0;
  size_ = known ? static_cast<std::uint64_t>(info.st_size) : 0;
  // A FIFO, a terminal or /dev/stderr cannot be renamed away: no rotation for them.
  rotatable_ = known && S_ISREG(info.st_mode);
}

void LogFile::write_lines(std::string_view bytes, Job& job) {
  while (!bytes.empty()) {
    if (!fd_) open_file();
    if (!fd_) return;  // dropped; open_file said so once
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
        rotate(job);
        continue;
      } else if (const auto end = part.find('\n'); end != std::string_view::npos) {
        part = part.substr(0, end + 1);  // one line longer than max_size: a file of its own
      }
    }
    write_all(part);
    size_ += part.size();
    bytes.remove_prefix(part.size());
  }
}

void LogFile::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_.get(), bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      if (!write_failing_) {
        spdlog::error("cannot write log file {}: {}; its lines are dropped until it recovers",
                      path_, error_text(errno));
      }
      write_failing_ = true;
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (write_failing_) spdlog::info("log file {} is writable again", path_);
  write_failing_ = false;
}

void LogFile::rotate(Job& job) {
  // Rename, then open a new file: the rotated file keeps every byte written to it, unlike
  // copy-then-truncate, which loses what the app writes between the two.
  const CivilTime now = local_time(wall_clock_ms());
  std::string rotated;
  for (int sequence = 1; sequence < 100000; ++sequence) {
    rotated = rotated_path(path_, now, sequence);
    if (::access(rotated.c_str(), F_OK) != 0 && ::access((rotated + ".gz").c_str(), F_OK) != 0) {
      break;
    }
  }
  if (::rename(path_.c_str(), rotated.c_str()) != 0) {
    if (errno != ENOENT) {
      spdlog::error("cannot rotate {}: {}; it grows on", path_, error_text(errno));
      size_ = 0;  // try again after another max_size bytes, not at every line
      return;
    }
    rotated.clear();  // someone moved it away already: just start a new one
  }
  fd_.reset();
  open_file();
  if (rotated.empty()) return;
  previous_rotation_ = rotated;
  delete_old_rotations();
  if (rotation_.compress && ::access(rotated.c_str(), F_OK) == 0) job.rotated.push_back(rotated);
}

void LogFile::delete_old_rotations() const {
  const std::string directory = directory_of(path_);
  DIR* listing = ::opendir(directory.c_str());
  if (!listing) return;
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(listing)) names.emplace_back(entry->d_name);
  ::closedir(listing);
  for (const auto& name : rotations_to_delete(base_name_of(path_), names, rotation_.retain)) {
    const std::string doomed = directory + "/" + name;
    if (::unlink(doomed.c_str()) != 0 && errno != ENOENT) {
      spdlog::warn("cannot delete old log {}: {}", doomed, error_text(errno));
    }
  }
}

LogFile::Lines LogFile::read_tail(std::size_t count) const {
  TailLines tail(count);
  std::vector<std::string> sources{path_};
  if (!previous_rotation_.empty()) sources.push_back(previous_rotation_);
  std::vector<char> chunk(kReadChunk);
  std::size_t budget = kMaxTailBytes;
  bool at_start = true;
  for (const auto& source : sources) {
    if (tail.complete()) break;
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    struct stat info {};
    if (!fd || ::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
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

// ----

void compress_rotated_file(uv_loop_t* loop, std::string path) {
  auto* job = new CompressJob{{}, std::move(path)};
  job->request.data = job;
  uv_queue_work(
      loop, &job->request,
      [](uv_work_t* request) { gzip_file(static_cast<CompressJob*>(request->data)->path); },
      [](uv_work_t* request, int) { delete static_cast<CompressJob*>(request->data); });
}

std::shared_ptr<LogFile> LogFiles::open(const std::string& path, const RotationSettings& rotation) {
  if (path.empty() || path == "/dev/null") return nullptr;
  std::erase_if(files_, [](const auto& entry) { return entry.second.expired(); });
  auto& slot = files_[path];
  if (auto existing = slot.lock()) return existing;
  auto file = std::make_shared<LogFile>(loop_, path, rotation);
  file->reopen();  // the file exists from the start, as with pm2, for `tail -f` and friends
  slot = file;
  return file;
}

std::vector<std::shared_ptr<LogFile>> LogFiles::open_files() {
  std::vector<std::shared_ptr<LogFile>> out;
  for (auto it = files_.begin(); it != files_.end();) {
    if (auto file = it->second.lock()) {
      out.push_back(std::move(file));
      ++it;
    } else {
      it = files_.erase(it);
    }
  }
  return out;
}

}  // namespace cxpm
