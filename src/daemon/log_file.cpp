#include "cxpm/daemon/log_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cxpm {

LogFile::LogFile(std::string path) : path_(std::move(path)) { open(); }

void LogFile::open() {
  fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (!fd_) spdlog::error("cannot open log file {}: {}", path_, std::strerror(errno));
}

void LogFile::append(std::string_view bytes) {
  if (!fd_) return;
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_.get(), bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      if (!failing_) {
        spdlog::error("cannot write log file {}: {}; output is dropped until it recovers", path_,
                      std::strerror(errno));
      }
      failing_ = true;
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (failing_) spdlog::info("log file {} is writable again", path_);
  failing_ = false;
}

void LogFile::reopen() { open(); }

void LogFile::truncate() {
  if (fd_ && ::ftruncate(fd_.get(), 0) < 0) {
    spdlog::warn("cannot empty {}: {}", path_, std::strerror(errno));
  }
}

std::shared_ptr<LogFile> LogFiles::open(const std::string& path) {
  if (path.empty() || path == "/dev/null") return nullptr;
  if (auto existing = files_[path].lock()) return existing;
  auto file = std::make_shared<LogFile>(path);
  files_[path] = file;
  return file;
}

void LogFiles::reopen_all() {
  for (auto it = files_.begin(); it != files_.end();) {
    if (auto file = it->second.lock()) {
      file->reopen();
      ++it;
    } else {
      it = files_.erase(it);
    }
  }
}

}  // namespace cxpm
