#include "cxpm/config/app_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace cxpm {

// Messages by fmt, not "'" + std::string: GCC 12 at -O3 warns falsely on a literal prepended
// to a std::string (-Wrestrict, GCC bug 105329).
std::optional<std::string> app_name_problem(std::string_view name) {
  if (name.empty()) return "an app name must not be empty";
  if (name.size() > 128) return "an app name must be at most 128 characters";
  if (name == "all") return "'all' means every app; pick another name";
  if (std::ranges::all_of(name, [](unsigned char c) { return std::isdigit(c); })) {
    return fmt::format("'{}' would read as a process id; use a name with a letter", name);
  }
  if (name.front() == '.' || name.front() == '-') {
    return "an app name must not start with '.' or '-'";
  }
  const bool allowed = std::ranges::all_of(name, [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@' || c == ':' || c >= 0x80;
  });
  if (!allowed) {
    return fmt::format(
        "'{}' has characters an app name cannot have; use letters, digits, '-', '_', '.', '@'",
        name);
  }
  return std::nullopt;
}

}  // namespace cxpm
