#pragma once
// Durations and byte sizes as people write them in ecosystem files and read them in tables.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cxpm/config/app_spec.hpp"

namespace cxpm {

// "1500" (a plain number is milliseconds, as pm2 reads it), "250ms", "5s", "1.5s", "2m",
// "2min", "1h", "1d"; units are case-insensitive and may follow a space. Fractions below a
// millisecond are dropped. Empty, negative or out of range: nullopt.
std::optional<Milliseconds> parse_duration(std::string_view text);

// "512" (bytes), "512K", "300M", "1G", "2T", optionally with "B" or "iB" ("10MB", "1GiB");
// case-insensitive. Units are binary (1K = 1024), as in pm2. Invalid or too big: nullopt.
std::optional<std::uint64_t> parse_bytes(std::string_view text);

// "512 B", "1.5 KiB", "12.3 MiB", "2.0 GiB".
std::string format_bytes(std::uint64_t bytes);

// The two largest non-zero units: "850ms", "12s", "3m 12s", "5h 2m", "2d 4h".
std::string format_duration(Milliseconds duration);

}  // namespace cxpm
