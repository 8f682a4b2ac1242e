#pragma once
// Splitting a command line into words as a POSIX shell would, without expansions: how a string
// of `args` in an ecosystem file becomes the app's argv.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxpm {

// Quotes and backslashes as in sh; nullopt with `error` set on an unterminated quote.
std::optional<std::vector<std::string>> split_shell_words(std::string_view text,
                                                          std::string* error);

}  // namespace cxpm
