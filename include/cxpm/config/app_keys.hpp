#pragma once
// The keys an app may have in an ecosystem file: its options (app_options.hpp) by any
// spelling, env_<profile>, pm2's keys cxpm skips, and pm2's keys it refuses; and the "did you
// mean" for the rest.

#include <string>
#include <string_view>
#include <vector>

namespace cxpm {

// pm2 options about its Node.js agent, Keymetrics or Windows: meaningless here, and harmless
// to skip, so files carrying them still load.
bool is_ignored_key(std::string_view key);

// For a pm2 option that changes behaviour cxpm does not have (skipping it would mislead):
// the hint after "cxpm does not support" ("" or "; use ..."). nullptr for other keys.
const std::string_view* unsupported_key_hint(std::string_view key);

bool is_profile_key(std::string_view key);  // env_<NAME>
// append_env_to_name, filter_env, force, watch_options: read by pm2_app_keys.hpp.
bool is_loader_key(std::string_view key);

// Any key an app may have, whether cxpm reads it, skips it or refuses it.
bool is_app_key(std::string_view key);

// Every spelling of every option: what an unknown key is compared with.
std::vector<std::string_view> app_key_candidates();

// "; did you mean 'max_memory_restart'?" for a near miss among `candidates`, or "".
std::string did_you_mean(std::string_view key, const std::vector<std::string_view>& candidates);

}  // namespace cxpm
