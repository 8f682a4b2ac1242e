#include "cxpm/daemon/log_format.hpp"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace cxpm {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kJsonTimeFormat = "YYYY-MM-DDTHH:mm:ss.SSSZ";

// App output is bytes, not text: invalid UTF-8 becomes U+FFFD instead of an exception.
std::string json_string(std::string_view text) {
  return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

LineFormat line_format_of(const AppSpec& spec) {
  LineFormat format;
  format.json = spec.log_type == "json";
  format.date_format = spec.log_date_format;
  if (format.date_format.empty() && spec.time) format.date_format = kDefaultLogDateFormat;
  return format;
}

std::int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

CivilTime local_time(std::int64_t unix_ms) {
  const auto seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm broken_down{};
  ::localtime_r(&seconds, &broken_down);
  return civil_time(broken_down, static_cast<int>(unix_ms % 1000));
}

LineFormatter::LineFormatter(LineFormat format, const LineSource& source, bool is_error)
    : format_(std::move(format)) {
  if (!format_.json) return;
  json_head_ = "{\"app\":" + json_string(source.app) + ",\"id\":" + std::to_string(source.id) +
               ",\"instance\":" + std::to_string(source.instance) + ",\"stream\":\"" +
               (is_error ? "err" : "out") + "\",\"time\":";
}

void LineFormatter::start_batch(std::int64_t unix_ms) {
  if (format_.json) {
    const auto& date_format = format_.date_format.empty() ? kJsonTimeFormat : format_.date_format;
    prefix_ = json_head_ + json_string(format_log_time(date_format, local_time(unix_ms))) +
              ",\"message\":";
  } else if (!format_.date_format.empty()) {
    // pm2's layout: "<time>: <line>".
    prefix_ = format_log_time(format_.date_format, local_time(unix_ms)) + ": ";
  }
}

void LineFormatter::append(std::string& out, std::string_view line) const {
  out.append(prefix_);
  if (format_.json) {
    out.append(json_string(line)).append("}\n");
  } else {
    out.append(line).push_back('\n');
  }
}

}  // namespace cxpm
