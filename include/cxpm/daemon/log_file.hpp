#pragma once
// An append-only log file shared by every stream that writes to it (merge_logs, log_file).

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "cxpm/sys/unique_fd.hpp"

namespace cxpm {

class LogFile {
 public:
  explicit LogFile(std::string path);

  const std::string& path() const { return path_; }
  // Writes all of `bytes` (whole lines), retrying short writes. A failing disk is reported
  // once to the daemon log and the bytes are dropped rather than stalling every app.
  void append(std::string_view bytes);
  void reopen();  // for an external logrotate (reloadLogs)
  void truncate();  // flush

 private:
  void open();

  std::string path_;
  UniqueFd fd_;
  bool failing_ = false;
};

// Hands out one LogFile per path, so instances that share a file share its descriptor.
class LogFiles {
 public:
  // nullptr for /dev/null (the file is disabled).
  std::shared_ptr<LogFile> open(const std::string& path);
  void reopen_all();

 private:
  std::map<std::string, std::weak_ptr<LogFile>> files_;
};

}  // namespace cxpm
