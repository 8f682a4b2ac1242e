#pragma once
// `cxpm ecosystem convert`: an ecosystem file's JSON (a JavaScript file's evaluated export) as
// YAML, keys and values as they were, pm2's `deploy` section left out.

#include <string>
#include <string_view>

namespace cxpm {

// Throws std::runtime_error when `json` does not read.
std::string json_as_yaml(std::string_view json);

}  // namespace cxpm
