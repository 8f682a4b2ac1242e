#include "cxpm/config/app_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "cxpm/config/app_options.hpp"

namespace cxpm {
namespace {

// pid_file is in pm2's own example file; cxpm answers `cxpm pid <app>` instead of writing pid
// files.
constexpr auto kIgnoredKeys = std::to_array<std::string_view>({
    "vizion",
    "automation",
    "pmx",
    "io",
    "trace",
    "disable_trace",
    "v8",
    "event_loop_inspector",
    "deep_monitoring",
    "source_map_support",
    "disable_source_map_support",
    "windowsHide",
    "post_update",
    "username",
    "pid_file",
    "pid",
});

// pm2's keys that say how an app is read rather than how it runs (pm2_app_keys.hpp).
constexpr auto kLoaderKeys = std::to_array<std::string_view>({
    "append_env_to_name",
    "filter_env",
    "force",
    "watch_options",
});

struct Unsupported {
  std::string_view key;
  std::string_view hint;
};
constexpr auto kUnsupportedKeys = std::to_array<Unsupported>({
    {"name_prefix", ""},
    {"disable_logs", "; set out_file and error_file to /dev/null instead"},
    {"install_url", ""},
    {"execute_command", ""},
    {"write", ""},
});

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "maxMemoryRestart" and "max-memory-restart" both become "max_memory_restart".
std::string to_snake_case(std::string_view key) {
  std::string result;
  for (char c : key) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!result.empty() && result.back() != '_') result += '_';
      result += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      result += c == '-' ? '_' : c;
    }
  }
  return result;
}

}  // namespace

bool is_ignored_key(std::string_view key) {
  return std::ranges::find(kIgnoredKeys, key) != kIgnoredKeys.end();
}

const std::string_view* unsupported_key_hint(std::string_view key) {
  const auto found = std::ranges::find(kUnsupportedKeys, key, &Unsupported::key);
  return found == kUnsupportedKeys.end() ? nullptr : &found->hint;
}

bool is_profile_key(std::string_view key) {
  return key.size() > 4 && key.starts_with("env_");
}

bool is_loader_key(std::string_view key) {
  return std::ranges::find(kLoaderKeys, key) != kLoaderKeys.end();
}

bool is_app_key(std::string_view key) {
  return find_app_option(key) || is_profile_key(key) || is_ignored_key(key) ||
         unsupported_key_hint(key) || is_loader_key(key);
}

std::vector<std::string_view> app_key_candidates() {
  std::vector<std::string_view> keys(kLoaderKeys.begin(), kLoaderKeys.end());
  for (const OptionInfo& option : app_options()) {
    keys.push_back(option.name);
    for (std::string_view alias : option.aliases) {
      if (!alias.empty()) keys.push_back(alias);
    }
  }
  return keys;
}

std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& candidates) {
  const std::string wanted = to_snake_case(key);
  if (is_profile_key(wanted)) return fmt::format("; did you mean '{}'?", wanted);
  std::string_view best;
  std::size_t best_distance = std::string_view::npos;
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(wanted, candidate);
    // A truncated name ("max_memory") is as good a clue as a typo.
    if (wanted.size() >= 4 && candidate.starts_with(wanted)) {
      distance = std::min<std::size_t>(distance, 1);
    }
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  const std::size_t allowed = wanted.size() <= 4 ? 1 : 2;
  if (best_distance > allowed) return "";
  return fmt::format("; did you mean '{}'?", best);
}

}  // namespace cxpm
