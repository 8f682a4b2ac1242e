#include "cxpm/daemon/runtime_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>

#include "cxpm/core/log_time.hpp"
#include "cxpm/daemon/log_format.hpp"
#include "cxpm/protocol/message.hpp"

namespace cxpm {
namespace {

constexpr std::string_view kJsonTimeFormat = "YYYY-MM-DDTHH:mm:ss.SSSZ";

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // a closed stdout loses the copy; the log files keep the lines
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

LogHub::Tap make_runtime_printer(RuntimeOutput output) {
  return [output, text = std::string()](const LineSource& source, bool is_error,
                                        std::int64_t unix_ms,
                                        const std::vector<std::string>& lines) mutable {
    text.clear();
    for (const auto& line : lines) {
      switch (output) {
        case RuntimeOutput::kPrefixed:
          fmt::format_to(std::back_inserter(text), "{}|{} | {}\n", source.id, source.app, line);
          break;
        case RuntimeOutput::kRaw:
          text.append(line).append("\n");
          break;
        case RuntimeOutput::kJson: {
          const Json object{{"message", line},
                            {"timestamp", format_log_time(kJsonTimeFormat, local_time(unix_ms))},
                            {"type", is_error ? "err" : "out"},
                            {"process_id", source.id},
                            {"app_name", source.app}};
          text.append(object.dump(-1, ' ', false, Json::error_handler_t::replace)).append("\n");
          break;
        }
      }
    }
    write_all(is_error ? STDERR_FILENO : STDOUT_FILENO, text);
  };
}

}  // namespace cxpm
