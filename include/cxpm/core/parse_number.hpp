#pragma once
// Whole-string number parsing: "12" is 12, while "", "12x", " 12", "+12" and values out of
// the type's range are nothing. The one place the std::from_chars idiom is spelled out.

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace cxpm {

template <typename Number>
std::optional<Number> parse_whole(std::string_view text) {
  Number value{};
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || stop != end) return std::nullopt;
  return value;
}

}  // namespace cxpm
