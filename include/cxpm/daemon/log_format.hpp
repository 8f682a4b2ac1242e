#pragma once
// How an app's lines look in its files: as written, after a time prefix (`time`,
// `log_date_format`), or as one JSON object per line (`log_type: json`).

#include <cstdint>
#include <string>
#include <string_view>

#include "cxpm/config/app_spec.hpp"
#include "cxpm/core/log_time.hpp"

namespace cxpm {

// Whose lines these are.
struct LineSource {
  std::string app;
  int id = 0;
  int instance = 0;
};

struct LineFormat {
  bool json = false;
  std::string date_format;  // empty: plain lines carry no time
};

LineFormat line_format_of(const AppSpec& spec);

// The wall clock, local time.
std::int64_t wall_clock_ms();
CivilTime local_time(std::int64_t unix_ms);

// Formats one stream's lines, reading the clock once per batch: lines read together share a
// time, which costs one clock read per pipe read instead of one per line.
class LineFormatter {
 public:
  LineFormatter() = default;
  LineFormatter(LineFormat format, const LineSource& source, bool is_error);

  // Lines go to the file exactly as the app wrote them.
  bool verbatim() const { return !format_.json && format_.date_format.empty(); }
  void start_batch(std::int64_t unix_ms);
  // Appends `line` as it goes in the file, newline included.
  void append(std::string& out, std::string_view line) const;

 private:
  LineFormat format_;
  std::string json_head_;  // {"app":…,"id":…,"instance":…,"stream":…,"time":
  std::string prefix_;     // what comes before the message in this batch
};

}  // namespace cxpm
