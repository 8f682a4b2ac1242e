#pragma once
// Names of rotated log files and which of them to keep. pm2-logrotate's naming, so tools
// written for it still find the files: "logs/api-out.log" rotated at 2024-05-01 13:02:03
// becomes "logs/api-out__2024-05-01_13-02-03.log" ("…_2.log" for a second rotation within
// that second), with ".gz" appended once compressed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxpm/core/log_time.hpp"

namespace cxpm {

// The rotated name for `path` at `time`; sequence 2, 3, … for later rotations in one second.
std::string rotated_path(std::string_view path, const CivilTime& time, int sequence = 1);

struct RotatedName {
  std::string stamp;  // "2024-05-01_13-02-03"
  int sequence = 1;
  bool compressed = false;
};

// Reads a file name (no directory) as a rotation of the log named `base_name`, if it is one.
std::optional<RotatedName> parse_rotated_name(std::string_view base_name,
                                              std::string_view candidate);

// The sequence for a new rotation of `base_name` at `time`: one above every rotation of that
// second among `names` (the files in the log's directory), so a new rotation always sorts
// after the ones before it. Taking the first free number instead would reuse a number
// `retain` had freed, and the newest file would sort as the oldest and be deleted first.
int next_rotation_sequence(std::string_view base_name, const CivilTime& time,
                           const std::vector<std::string>& names);

// A file in the log's directory.
struct DirectoryEntry {
  std::string name;
  std::uint64_t size = 1;  // bytes
};

// Of the files in the log's directory, the rotations of `base_name` beyond the newest
// `retain`. A rotation being compressed (both "x.log" and "x.log.gz") counts once. An empty
// rotation holds no history: it is always deleted and never counts among the kept, so it
// cannot push a real one out.
std::vector<std::string> rotations_to_delete(std::string_view base_name,
                                             const std::vector<DirectoryEntry>& files, int retain);
// The same for names alone (every file taken as holding something).
std::vector<std::string> rotations_to_delete(std::string_view base_name,
                                             const std::vector<std::string>& names, int retain);

}  // namespace cxpm
