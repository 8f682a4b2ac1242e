#include "cxpm/core/watch_filter.hpp"

#include <algorithm>

namespace cxpm {
namespace {

// Matches one bracket expression at the start of `pattern` against `c`; returns the length of
// the expression, or 0 when it is not a complete one (then '[' is an ordinary character).
std::size_t match_class(std::string_view pattern, char c, bool& matched) {
  std::size_t i = 1;
  const bool negated = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negated) ++i;
  const std::size_t first = i;
  bool found = false;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == ']' && i > first) {
      matched = (found != negated) && c != '/';
      return i + 1;
    }
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) found = true;
      i += 2;
    } else if (pattern[i] == c) {
      found = true;
    }
  }
  return 0;
}

std::string normalize(std::string pattern) {
  while (pattern.starts_with("./")) pattern.erase(0, 2);
  while (pattern.size() > 1 && pattern.back() == '/') pattern.pop_back();
  return pattern;
}

bool is_always_ignored(std::string_view name) {
  return name.starts_with('.') || name == "node_modules";
}

// The path itself and every directory above it: "a", "a/b", "a/b/c".
template <typename Visit>
bool any_prefix(std::string_view path, Visit visit) {
  for (std::size_t slash = path.find('/', 1); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (visit(path.substr(0, slash))) return true;
  }
  return visit(path);
}

template <typename Visit>
bool any_name(std::string_view path, Visit visit) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view name = path.substr(start, slash - start);
    if (!name.empty() && visit(name)) return true;
    start = slash + 1;
  }
  return false;
}

}  // namespace

bool glob_matches(std::string_view pattern, std::string_view text) {
  while (!pattern.empty()) {
    const char p = pattern.front();
    if (p == '*') {
      const bool crosses = pattern.starts_with("**");
      std::string_view rest = pattern.substr(crosses ? 2 : 1);
      if (crosses && rest.starts_with('/')) {
        // "**/" may stand for no directory at all.
        if (glob_matches(rest.substr(1), text)) return true;
      }
      for (std::size_t skip = 0; skip <= text.size(); ++skip) {
        if (glob_matches(rest, text.substr(skip))) return true;
        if (skip < text.size() && text[skip] == '/' && !crosses) return false;
      }
      return false;
    }
    if (text.empty()) return false;
    if (p == '?') {
      if (text.front() == '/') return false;
      pattern.remove_prefix(1);
    } else if (p == '[') {
      bool matched = false;
      const std::size_t length = match_class(pattern, text.front(), matched);
      if (length == 0) {
        if (text.front() != '[') return false;
        pattern.remove_prefix(1);
      } else {
        if (!matched) return false;
        pattern.remove_prefix(length);
      }
    } else {
      if (p == '\\' && pattern.size() > 1) pattern.remove_prefix(1);
      if (pattern.front() != text.front()) return false;
      pattern.remove_prefix(1);
    }
    text.remove_prefix(1);
  }
  return text.empty();
}

WatchFilter::WatchFilter(const std::vector<std::string>& ignore_globs) {
  for (const auto& glob : ignore_globs) {
    std::string pattern = normalize(glob);
    if (pattern.empty()) continue;
    if (pattern.front() == '/') {
      absolute_globs_.push_back(std::move(pattern));
    } else if (pattern.find('/') == std::string::npos) {
      name_globs_.push_back(std::move(pattern));
    } else {
      relative_globs_.push_back(std::move(pattern));
    }
  }
}

bool WatchFilter::ignores(std::string_view relative, std::string_view absolute) const {
  while (relative.starts_with("./")) relative.remove_prefix(2);
  if (any_name(relative, is_always_ignored)) return true;
  for (const auto& glob : name_globs_) {
    if (any_name(relative, [&](std::string_view name) { return glob_matches(glob, name); })) {
      return true;
    }
  }
  for (const auto& glob : relative_globs_) {
    if (any_prefix(relative, [&](std::string_view path) { return glob_matches(glob, path); })) {
      return true;
    }
  }
  for (const auto& glob : absolute_globs_) {
    if (any_prefix(absolute, [&](std::string_view path) { return glob_matches(glob, path); })) {
      return true;
    }
  }
  return false;
}

}  // namespace cxpm
