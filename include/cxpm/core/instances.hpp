#pragma once
// How many instances an app gets, and which index a new one takes.

#include <optional>
#include <span>
#include <string_view>

namespace cxpm {

// pm2's `instances`: n > 0 is n; 0 ("max") is the CPU count; n < 0 is the CPU count minus |n|.
// Never fewer than one.
int resolve_instance_count(int requested, int cpu_count);

// The lowest index not in `used`, so indexes stay dense across restarts and scaling.
int lowest_free_index(std::span<const int> used);

// `cxpm scale app N|+N|-N` from `current` instances: the new count, or nullopt when the request
// is not a number or would leave fewer than one instance.
std::optional<int> scaled_count(std::string_view request, int current);

}  // namespace cxpm
