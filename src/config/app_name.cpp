#include "cxpm/config/app_name.hpp"

#include <algorithm>
#include <cctype>

namespace cxpm {

std::optional<std::string> app_name_problem(std::string_view name) {
  if (name.empty()) return "an app name must not be empty";
  if (name.size() > 128) return "an app name must be at most 128 characters";
  if (name == "all") return "'all' means every app; pick another name";
  if (std::ranges::all_of(name, [](unsigned char c) { return std::isdigit(c); })) {
    return "'" + std::string(name) + "' would read as a process id; use a name with a letter";
  }
  if (name.front() == '.' || name.front() == '-') {
    return "an app name must not start with '.' or '-'";
  }
  const bool allowed = std::ranges::all_of(name, [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@' || c == ':' || c >= 0x80;
  });
  if (!allowed) {
    return "'" + std::string(name) +
           "' has characters an app name cannot have; use letters, digits, '-', '_', '.', '@'";
  }
  return std::nullopt;
}

}  // namespace cxpm
