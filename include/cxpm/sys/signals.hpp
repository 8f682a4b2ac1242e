#pragma once
// Signal names as users write them: "SIGTERM", "TERM", "term" or "15".

#include <optional>
#include <string>
#include <string_view>

namespace cxpm {

std::optional<int> signal_from_name(std::string_view name);
std::string signal_name(int signal_number);  // "SIGTERM"; "signal 42" when unnamed

}  // namespace cxpm
