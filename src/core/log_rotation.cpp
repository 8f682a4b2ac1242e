#include "cxpm/core/log_rotation.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

namespace cxpm {
namespace {

constexpr std::string_view kStampFormat = "YYYY-MM-DD_HH-mm-ss";
constexpr std::string_view kStampShape = "dddd-dd-dd_dd-dd-dd";
constexpr std::string_view kCompressedSuffix = ".gz";

struct Parts {
  std::string_view stem;       // "api-out"
  std::string_view extension;  // ".log", or empty
};

Parts split_name(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {name, {}};
  return {name.substr(0, dot), name.substr(dot)};
}

bool has_stamp_shape(std::string_view text) {
  if (text.size() != kStampShape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    if (kStampShape[i] == 'd' ? !digit : text[i] != kStampShape[i]) return false;
  }
  return true;
}

}  // namespace

std::string rotated_path(std::string_view path, const CivilTime& time, int sequence) {
  const auto slash = path.rfind('/');
  const std::string_view directory =
      slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
  const Parts parts = split_name(path.substr(directory.size()));
  std::string out(directory);
  out.append(parts.stem).append("__").append(format_log_time(kStampFormat, time));
  if (sequence > 1) out.append("_").append(std::to_string(sequence));
  out.append(parts.extension);
  return out;
}

std::optional<RotatedName> parse_rotated_name(std::string_view base_name,
                                              std::string_view candidate) {
  const Parts parts = split_name(base_name);
  RotatedName parsed;
  if (candidate.ends_with(kCompressedSuffix)) {
    parsed.compressed = true;
    candidate.remove_suffix(kCompressedSuffix.size());
  }
  if (!candidate.starts_with(parts.stem)) return std::nullopt;
  candidate.remove_prefix(parts.stem.size());
  if (!candidate.starts_with("__") || !candidate.ends_with(parts.extension)) return std::nullopt;
  candidate.remove_prefix(2);
  candidate.remove_suffix(parts.extension.size());
  if (candidate.size() < kStampShape.size()) return std::nullopt;
  const std::string_view stamp = candidate.substr(0, kStampShape.size());
  if (!has_stamp_shape(stamp)) return std::nullopt;
  parsed.stamp = std::string(stamp);
  std::string_view rest = candidate.substr(kStampShape.size());
  if (rest.empty()) return parsed;
  if (rest.front() != '_' || rest.size() < 2 || rest.size() > 9) return std::nullopt;
  rest.remove_prefix(1);
  int sequence = 0;
  for (char c : rest) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    sequence = sequence * 10 + (c - '0');
  }
  if (sequence < 2) return std::nullopt;
  parsed.sequence = sequence;
  return parsed;
}

int next_rotation_sequence(std::string_view base_name, const CivilTime& time,
                           const std::vector<std::string>& names) {
  const std::string stamp = format_log_time(kStampFormat, time);
  int highest = 0;
  for (const auto& name : names) {
    if (auto parsed = parse_rotated_name(base_name, name); parsed && parsed->stamp == stamp) {
      highest = std::max(highest, parsed->sequence);
    }
  }
  return highest + 1;
}

std::vector<std::string> rotations_to_delete(std::string_view base_name,
                                             const std::vector<DirectoryEntry>& files, int retain) {
  struct Rotation {
    std::vector<std::string> files;
    bool empty = true;
    bool kept = false;
  };
  // Oldest first: stamps sort as text, sequences as numbers.
  std::map<std::pair<std::string, int>, Rotation> rotations;
  for (const auto& file : files) {
    if (auto parsed = parse_rotated_name(base_name, file.name)) {
      Rotation& rotation = rotations[{parsed->stamp, parsed->sequence}];
      rotation.files.push_back(file.name);
      if (parsed->compressed || file.size > 0) rotation.empty = false;
    }
  }
  // The newest `retain` that hold something are kept.
  std::size_t room = static_cast<std::size_t>(std::max(retain, 0));
  for (auto it = rotations.rbegin(); it != rotations.rend() && room > 0; ++it) {
    if (!it->second.empty) {
      it->second.kept = true;
      --room;
    }
  }
  std::vector<std::string> doomed;
  for (auto& [key, rotation] : rotations) {
    if (rotation.kept) continue;
    for (auto& file : rotation.files) doomed.push_back(std::move(file));
  }
  return doomed;
}

std::vector<std::string> rotations_to_delete(std::string_view base_name,
                                             const std::vector<std::string>& names, int retain) {
  std::vector<DirectoryEntry> files;
  files.reserve(names.size());
  for (const auto& name : names) files.push_back({name, 1});
  return rotations_to_delete(base_name, files, retain);
}

}  // namespace cxpm
