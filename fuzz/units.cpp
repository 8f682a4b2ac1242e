// Durations and sizes from ecosystem files and the command line ("1.5s", "300M"). Besides
// crashes and sanitizer reports (overflow in the scaling is the risk), it checks that a value
// reads back the same from its plain number, that units are case-insensitive as documented,
// and that formatting any value works.

#include "cxpm/config/units.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "input.hpp"

namespace {

using namespace cxpm;

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

void check_duration(std::string_view text) {
  const auto duration = parse_duration(text);
  if (duration != parse_duration(upper(text))) fuzz::broken("duration units depend on case");
  if (!duration) return;
  if (duration->count() < 0) fuzz::broken("a negative duration was accepted");
  if (parse_duration(std::to_string(duration->count())) != duration) {
    fuzz::broken("a duration does not read back from its milliseconds");
  }
  if (format_duration(*duration).empty()) fuzz::broken("a duration formats as nothing");
}

void check_bytes(std::string_view text) {
  const auto bytes = parse_bytes(text);
  if (bytes != parse_bytes(upper(text))) fuzz::broken("size units depend on case");
  if (!bytes) return;
  if (parse_bytes(std::to_string(*bytes)) != bytes) {
    fuzz::broken("a size does not read back from its bytes");
  }
  if (format_bytes(*bytes).empty()) fuzz::broken("a size formats as nothing");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  check_duration(text);
  check_bytes(text);

  // Formatting takes any value, whatever was parsed: the first eight bytes as a number.
  std::uint64_t raw = 0;
  if (size > 0) std::memcpy(&raw, data, std::min(size, sizeof raw));
  if (format_bytes(raw).empty()) fuzz::broken("a size formats as nothing");
  const Milliseconds any(static_cast<Milliseconds::rep>(raw));
  if (format_duration(any).empty()) fuzz::broken("a duration formats as nothing");
  return 0;
}
