#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

// Why `name` cannot name an app, or nullopt when it can. Names become file names
// (logs/<name>-out.log) and command targets, so they exclude '/', all-digit ids and "all".
std::optional<std::string> app_name_problem(std::string_view name);

}  // namespace cxpm
